import { parseBuffer } from 'music-metadata';
import { describe, expect, it } from 'vitest';
import { encodeWav, renderSong, sampleRate, seededRandom } from './synth';

describe('demo synthesizer', () => {
  const spec = { seed: 7, durationSeconds: 3, rootNote: 57, tempoBpm: 100, brightness: 0.4 };

  it('renders the same song for the same seed, and another for another seed', () => {
    expect(renderSong(spec)).toEqual(renderSong(spec));
    expect(renderSong({ ...spec, seed: 8 })).not.toEqual(renderSong(spec));
    expect(seededRandom(1)()).not.toBe(seededRandom(2)());
  });

  it('is audible: not silent, and never clipped at the edges', () => {
    const pcm = renderSong(spec);
    const rms = Math.sqrt(pcm.reduce((sum, s) => sum + s * s, 0) / pcm.length);
    expect(rms).toBeGreaterThan(1000);
    expect(Math.abs(pcm[0]!)).toBeLessThan(50);
    expect(Math.abs(pcm[pcm.length - 1]!)).toBeLessThan(50);
  });

  it('encodes a WAV file that a tag reader understands', async () => {
    const wav = encodeWav(renderSong(spec));
    const { format } = await parseBuffer(wav, { mimeType: 'audio/wav' });
    expect(format.container).toBe('WAVE');
    expect(format.sampleRate).toBe(sampleRate);
    expect(format.numberOfChannels).toBe(1);
    expect(format.duration).toBeCloseTo(3, 2);
  });
});
