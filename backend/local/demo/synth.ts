/**
 * A tiny deterministic synthesizer for the demo catalog: every demo track is generated
 * here at start, so the repository ships no audio and no one's recordings.
 */

/** Mulberry32: a small seeded PRNG, so the same seed always gives the same song. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SongSpec {
  seed: number;
  durationSeconds: number;
  /** MIDI note of the key's root, e.g. 57 = A3. */
  rootNote: number;
  tempoBpm: number;
  /** Harmonic richness 0..1: 0 is a pure sine, 1 is bright. */
  brightness: number;
}

export const sampleRate = 16_000;
const pentatonic = [0, 2, 4, 7, 9, 12, 14, 16];
const progression = [0, 5, 3, 4]; // I–vi–IV–V, as scale-degree offsets into a major scale
const majorScale = [0, 2, 4, 5, 7, 9, 11];

const noteHz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

/** Renders a song as mono 16-bit PCM samples: a pentatonic melody over a bass line. */
export function renderSong(spec: SongSpec): Int16Array {
  const random = seededRandom(spec.seed);
  const total = Math.round(spec.durationSeconds * sampleRate);
  const out = new Float32Array(total);
  const beat = 60 / spec.tempoBpm;

  const addNote = (startS: number, lengthS: number, hz: number, gain: number, harmonics: number) => {
    const start = Math.round(startS * sampleRate);
    const length = Math.min(Math.round(lengthS * sampleRate), total - start);
    const attack = Math.min(0.01 * sampleRate, length / 4);
    for (let i = 0; i < length; i++) {
      const t = i / sampleRate;
      const envelope = (i < attack ? i / attack : 1) * Math.exp((-3 * i) / length);
      let sample = Math.sin(2 * Math.PI * hz * t);
      for (let h = 2; h <= 1 + harmonics; h++) sample += Math.sin(2 * Math.PI * hz * h * t) * (spec.brightness / h);
      out[start + i]! += sample * envelope * gain;
    }
  };

  for (let time = 0, bar = 0; time < spec.durationSeconds; bar++) {
    const chordRoot = spec.rootNote + majorScale[progression[bar % progression.length]!]!;
    addNote(time, beat * 4, noteHz(chordRoot - 12), 0.22, 1);
    for (let step = 0; step < 8 && time + step * (beat / 2) < spec.durationSeconds; step++) {
      if (random() < 0.25) continue; // rests make it breathe
      const degree = pentatonic[Math.floor(random() * pentatonic.length)]!;
      addNote(time + step * (beat / 2), beat * (random() < 0.3 ? 1 : 0.5), noteHz(spec.rootNote + 12 + degree), 0.18, 3);
    }
    time += beat * 4;
  }

  // Fade in and out over half a second so tracks start and end cleanly.
  const fade = Math.min(sampleRate / 2, total / 2);
  const pcm = new Int16Array(total);
  for (let i = 0; i < total; i++) {
    const edge = Math.min(1, i / fade, (total - 1 - i) / fade);
    pcm[i] = Math.max(-1, Math.min(1, out[i]! * edge)) * 32767;
  }
  return pcm;
}

/** Wraps mono 16-bit PCM in a RIFF/WAVE container. */
export function encodeWav(pcm: Int16Array, rate = sampleRate): Uint8Array {
  const dataBytes = pcm.length * 2;
  const buffer = new ArrayBuffer(44 + dataBytes);
  const view = new DataView(buffer);
  const ascii = (offset: number, text: string) => [...text].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // PCM chunk size
  view.setUint16(20, 1, true); // PCM format
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  new Int16Array(buffer, 44).set(pcm);
  return new Uint8Array(buffer);
}
