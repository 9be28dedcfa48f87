/**
 * Floors for the browser benches: pages that are not part of the product, added to a copy of the
 * built extension, so they load from the same origin, through the same Chromium, as the popup.
 * Whatever such a page takes is what any extension page would take; the product's figure beside
 * it shows what the product adds.
 */
import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeWav, sampleRate } from '../../backend/local/demo/synth';

/** Copies the built extension to `dir` and writes `files` (name → content) into the copy. */
export async function copyBuildWithPages(built: string, dir: string, files: Record<string, string | Uint8Array>): Promise<string> {
  await cp(built, dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

/** A static page with one line of text and no script or styles: what it takes to paint anything. */
export const oneLinePage = '<!doctype html><meta charset="utf-8"><title>floor</title><p>Alktunes</p>';

/** A quiet 440 Hz tone, as a WAV at the demo catalog's rate (so Chromium decodes the same format). */
function tone(seconds: number): Uint8Array {
  const pcm = new Int16Array(seconds * sampleRate);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(2000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
  return encodeWav(pcm);
}

/**
 * The player's floor: one button whose click plays an `<audio>` element that is already
 * buffered, and sets `data-state="playing"` on the button at that element's `playing` event.
 * A second element, `#current`, stands for a track already playing (the click pauses it first),
 * for the floor of "next". No framework, no messages, no network: what Chromium itself takes
 * from a click to audio playing in an extension page. (Extension pages allow no inline script.)
 */
export const audioFloorPage = {
  'floor-player.html': `<!doctype html><meta charset="utf-8"><title>player floor</title>
<audio id="current" src="floor-tone.wav" preload="auto"></audio>
<audio id="next" src="floor-tone.wav" preload="auto"></audio>
<button id="play" type="button">play</button>
<script src="floor-player.js"></script>
`,
  'floor-player.js': `const current = document.getElementById('current');
const next = document.getElementById('next');
const button = document.getElementById('play');
button.addEventListener('click', () => {
  current.pause();
  void next.play();
});
next.addEventListener('playing', () => button.setAttribute('data-state', 'playing'));
const buffered = (el) => el.readyState >= 4 || new Promise((resolve) => el.addEventListener('canplaythrough', resolve, { once: true }));
/** Back to "nothing started", both elements buffered; with \`playingCurrent\`, #current plays. */
globalThis.floorReset = async (playingCurrent) => {
  next.pause();
  next.currentTime = 0;
  button.removeAttribute('data-state');
  current.pause();
  current.currentTime = 0;
  await Promise.all([buffered(current), buffered(next)]);
  if (playingCurrent) {
    const started = new Promise((resolve) => current.addEventListener('playing', resolve, { once: true }));
    await current.play();
    await started;
  }
};
globalThis.floorStop = () => {
  current.pause();
  next.pause();
};
`,
  'floor-tone.wav': tone(20),
};
