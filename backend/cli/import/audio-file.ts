import { createHash } from 'node:crypto';
import { constants, openAsBlob } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import {
  CouldNotDetermineFileTypeError,
  parseBuffer,
  parseFromTokenizer,
  UnsupportedFileTypeError,
  type IAudioMetadata,
  type IOptions,
} from 'music-metadata';
import { fromBlob } from 'strtok3';
import type { ByteSource } from '../../domain/ports';
import type { FoundFile } from './walk';

/** Files up to this size are read once into memory (hash, tags and upload from one read). */
export const IN_MEMORY_BYTES = 16 * 1024 * 1024;

/** A file's bytes as far as the import needs them. */
export interface LoadedAudio {
  /** Hex SHA-256 of the whole file. */
  contentHash: string;
  metadata: IAudioMetadata;
  /** The file's bytes when it is small enough to keep; large files are streamed again on upload. */
  bytes?: Uint8Array;
}

/** The file could not be read (permissions, I/O error, replaced by a link): the import of it failed. */
export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError';
}

/** Why a file that changed while it was read is not imported. */
const FILE_CHANGED = 'file changed during the import; run the import again';

/** The file looks like audio (by its content or its audio extension) but does not parse: it is skipped. */
export class CorruptAudioError extends Error {
  override name = 'CorruptAudioError';
}

/**
 * Neither the file's content nor its name is of an audio format music-metadata knows (a JSON
 * file, a PDF): it is skipped quietly. A file named `.mp3` is parsed as MP3 whatever it holds,
 * so a text renamed so ends up corrupt audio, not this.
 */
export class NotAudioError extends Error {
  override name = 'NotAudioError';
}

/** Opens the resolved path without following a link, so a file swapped for a symlink after the walk is refused. */
async function openNoFollow(file: FoundFile): Promise<FileHandle> {
  try {
    return await open(file.realPath, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    throw unreadable(error);
  }
}

function unreadable(error: unknown): UnreadableFileError {
  const code = (error as NodeJS.ErrnoException).code;
  return new UnreadableFileError(
    code === 'ELOOP' ? 'file was replaced by a link during the import' : `cannot read file: ${code ?? (error as Error).message}`,
  );
}

async function probe(parse: () => Promise<IAudioMetadata>): Promise<IAudioMetadata> {
  try {
    return await parse();
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    if ((error as NodeJS.ErrnoException).code) throw unreadable(error);
    if (error instanceof CouldNotDetermineFileTypeError || error instanceof UnsupportedFileTypeError)
      throw new NotAudioError((error as Error).message);
    throw new CorruptAudioError(`corrupt or truncated audio (${(error as Error).message})`);
  }
}

/**
 * Parses a large file from disk. Like a small one, it is judged by the name it has in its folder
 * (its extension picks the parser), not by the name of a symlink's target.
 */
async function parseLargeFile(file: FoundFile, options: IOptions): Promise<IAudioMetadata> {
  const tokenizer = fromBlob(await openAsBlob(file.realPath), { fileInfo: { path: file.name } });
  try {
    return await parseFromTokenizer(tokenizer, options);
  } catch (error) {
    // A file-backed Blob stops reading once the file changes.
    if (error instanceof DOMException && error.name === 'NotReadableError') throw new UnreadableFileError(FILE_CHANGED);
    throw error;
  } finally {
    await tokenizer.close();
  }
}

/** Hashes and parses a file; small files in one read, large ones streamed. */
export async function loadAudio(file: FoundFile): Promise<LoadedAudio> {
  const handle = await openNoFollow(file);
  if (file.size <= IN_MEMORY_BYTES) {
    let bytes: Buffer;
    try {
      bytes = await handle.readFile();
    } catch (error) {
      throw unreadable(error);
    } finally {
      await handle.close();
    }
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    const metadata = await probe(() => parseBuffer(bytes, { path: file.name, size: bytes.length }, { duration: true }));
    return { contentHash, metadata, bytes };
  }

  const hash = createHash('sha256');
  try {
    for await (const chunk of handle.createReadStream({ highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  } catch (error) {
    throw unreadable(error);
  } finally {
    await handle.close();
  }
  let metadata = await probe(() => parseLargeFile(file, {}));
  // Without a VBR header the duration needs a full scan; only pay for it when it is missing.
  if (!metadata.format.duration) metadata = await probe(() => parseLargeFile(file, { duration: true }));
  return { contentHash: hash.digest('hex'), metadata };
}

/**
 * The file as a `ByteSource` for a multipart upload. It re-hashes what it reads and refuses to
 * complete the upload if the bytes no longer match `contentHash` (the file changed meanwhile),
 * so a content-addressed key never holds other content. Call `close()` when done.
 */
export async function openByteSource(file: FoundFile, contentHash: string): Promise<ByteSource & { close(): Promise<void> }> {
  const handle = await openNoFollow(file);
  const hash = createHash('sha256');
  let position = 0;
  return {
    size: file.size,
    async read(offset, length) {
      if (offset !== position) throw new Error('multipart upload must read the file in order');
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      position += bytesRead;
      const piece = buffer.subarray(0, bytesRead);
      hash.update(piece);
      return piece;
    },
    async verify() {
      if (position !== file.size || hash.digest('hex') !== contentHash) {
        throw new UnreadableFileError(FILE_CHANGED);
      }
    },
    close: () => handle.close(),
  };
}
