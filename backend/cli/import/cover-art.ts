/** Which image becomes an album's cover, and what kind of image it is (from its bytes). */

export interface ImageType {
  contentType: string;
  extension: string;
}

/** Identifies JPEG, PNG, GIF and WebP by their magic bytes; anything else is not used as a cover. */
export function sniffImage(bytes: Uint8Array): ImageType | undefined {
  const starts = (...magic: number[]) => magic.every((byte, i) => bytes[i] === byte);
  if (starts(0xff, 0xd8, 0xff)) return { contentType: 'image/jpeg', extension: 'jpg' };
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { contentType: 'image/png', extension: 'png' };
  if (starts(0x47, 0x49, 0x46, 0x38)) return { contentType: 'image/gif', extension: 'gif' };
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP') {
    return { contentType: 'image/webp', extension: 'webp' };
  }
  return undefined;
}

/** Cover files beside the audio, best first. */
const SIDECAR_NAMES = ['cover', 'folder', 'front', 'album', 'albumart'];
const SIDECAR_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'gif'];

/** Picks the folder's cover image by name (`cover.jpg` before `folder.jpg` before `front.png`…), case-insensitively. */
export function pickSidecarCover<T extends { name: string }>(images: readonly T[]): T | undefined {
  let best: { image: T; rank: number } | undefined;
  for (const image of images) {
    const [stem, extension, ...rest] = image.name.toLowerCase().split('.');
    const nameRank = SIDECAR_NAMES.indexOf(stem ?? '');
    const extensionRank = SIDECAR_EXTENSIONS.indexOf(extension ?? '');
    if (rest.length || nameRank < 0 || extensionRank < 0) continue;
    const rank = nameRank * SIDECAR_EXTENSIONS.length + extensionRank;
    if (!best || rank < best.rank) best = { image, rank };
  }
  return best?.image;
}

/** An embedded picture as music-metadata reports it. */
export interface EmbeddedPicture {
  data: Uint8Array;
  type?: string;
}

/** The front cover among a file's embedded pictures, else the first picture. */
export function frontCover<T extends EmbeddedPicture>(pictures: readonly T[] | undefined): T | undefined {
  return pictures?.find((picture) => /front/i.test(picture.type ?? '')) ?? pictures?.[0];
}
