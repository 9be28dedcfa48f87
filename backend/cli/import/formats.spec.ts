import { describe, expect, it } from 'vitest';
import { classifyFormat, isSidecarFile } from './formats';

describe('classifyFormat', () => {
  it.each([
    [{ container: 'MPEG', codec: 'MPEG 1 Layer 3' }, 'audio/mpeg', 'mp3'],
    [{ container: 'MPEG', codec: 'MPEG 2.5 Layer 3' }, 'audio/mpeg', 'mp3'],
    [{ container: 'ADTS/MPEG-4', codec: 'AAC' }, 'audio/aac', 'aac'],
    [{ container: 'M4A/isom/mp42', codec: 'MPEG-4/AAC' }, 'audio/mp4', 'm4a'],
    [{ container: 'FLAC', codec: 'FLAC' }, 'audio/flac', 'flac'],
    [{ container: 'Ogg', codec: 'Vorbis I' }, 'audio/ogg', 'ogg'],
    [{ container: 'Ogg', codec: 'Opus' }, 'audio/ogg', 'opus'],
    [{ container: 'WAVE', codec: 'PCM' }, 'audio/wav', 'wav'],
    [{ container: 'WAVE', codec: 'IEEE_FLOAT' }, 'audio/wav', 'wav'],
  ])('accepts %o as %s', (format, contentType, extension) => {
    expect(classifyFormat({ ...format, duration: 1.5 })).toEqual({
      playable: true,
      format: expect.objectContaining({ contentType, extension }),
    });
  });

  it.each([
    [{ container: 'MPEG', codec: 'MPEG 1 Layer 2' }, /Layer 2/],
    [{ container: 'M4A/isom', codec: 'ALAC' }, /ALAC/],
    [{ container: 'WAVE', codec: 'ADPCM' }, /ADPCM/],
    [{ container: 'Ogg', codec: 'Speex 1.2' }, /Speex/],
    [{ container: 'AIFF', codec: 'PCM' }, /AIFF/],
    [{ container: 'ASF/audio', codec: 'Windows Media Audio 9' }, /not a format browsers can play/],
  ])('refuses %o', (format, reason) => {
    const verdict = classifyFormat({ ...format, duration: 3 });
    expect(verdict.playable).toBe(false);
    if (!verdict.playable) expect(verdict.reason).toMatch(reason);
  });

  it('treats a file parsed as audio but without a codec as corrupt audio', () => {
    expect(classifyFormat({})).toEqual({ playable: false, reason: 'corrupt or truncated audio (no audio stream found)' });
  });

  it('treats a playable container without audio frames as truncated', () => {
    expect(classifyFormat({ container: 'MPEG', codec: 'MPEG 1 Layer 3', duration: 0 })).toEqual({
      playable: false,
      reason: expect.stringMatching(/truncated/),
    });
  });
});

describe('isSidecarFile', () => {
  it('recognises images, playlists and logs but not audio or hidden names', () => {
    expect(['cover.JPG', 'a.png', 'rip.log', 'album.cue', 'list.m3u8'].every(isSidecarFile)).toBe(true);
    expect(['song.mp3', 'song', '.jpg', 'song.flac'].some(isSidecarFile)).toBe(false);
  });
});
