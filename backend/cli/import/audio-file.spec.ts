import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_MEMORY_BYTES, loadAudio, NotAudioError } from './audio-file';
import type { FoundFile } from './walk';

/** How `loadAudio` judged a file: the error's name, or the container the parser found. */
async function verdict(file: FoundFile): Promise<string> {
  try {
    return `parsed as ${(await loadAudio(file)).metadata.format.container ?? 'nothing'}`;
  } catch (error) {
    return (error as Error).name;
  }
}

describe('loadAudio', () => {
  let dir: string;
  /** Text (no audio format in it) of a size read into memory and of one streamed, each stored without an extension. */
  const sizes = { small: 4096, large: IN_MEMORY_BYTES + 4096 };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audio-file-'));
    for (const [label, size] of Object.entries(sizes)) {
      await writeFile(join(dir, `${label}-blob`), Buffer.alloc(size, 'not audio at all\n'));
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** The file as the walk lists a link `name` to it: the link's name, the target's path. */
  const found = async (label: keyof typeof sizes, name: string): Promise<FoundFile> => ({
    realPath: join(dir, `${label}-blob`),
    relPath: name,
    folder: '',
    name,
    size: (await stat(join(dir, `${label}-blob`))).size,
  });

  it('judges a file by the name it has in the folder, whatever its size', async () => {
    // Named .mp3 in the folder: parsed as MP3 (and then found corrupt), never hidden as "not audio".
    const small = await verdict(await found('small', 'small.mp3'));
    expect(small).not.toBe(NotAudioError.name);
    expect(await verdict(await found('large', 'large.mp3'))).toBe(small);
    // Named as nothing the parser knows: not audio, at either size.
    expect(await verdict(await found('small', 'notes.txt'))).toBe(NotAudioError.name);
    expect(await verdict(await found('large', 'notes.txt'))).toBe(NotAudioError.name);
  }, 30_000);
});
