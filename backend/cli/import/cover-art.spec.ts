import { describe, expect, it } from 'vitest';
import { frontCover, pickSidecarCover, sniffImage } from './cover-art';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('cover art', () => {
  it('identifies images by their bytes, not their names', () => {
    expect(sniffImage(bytes(0xff, 0xd8, 0xff, 0xe0))).toEqual({ contentType: 'image/jpeg', extension: 'jpg' });
    expect(sniffImage(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toEqual({ contentType: 'image/png', extension: 'png' });
    expect(sniffImage(new TextEncoder().encode('RIFF0000WEBPVP8 '))).toEqual({ contentType: 'image/webp', extension: 'webp' });
    expect(sniffImage(new TextEncoder().encode('<svg xmlns=…'))).toBeUndefined();
    expect(sniffImage(bytes())).toBeUndefined();
  });

  it('prefers cover over folder over front, and jpg over png', () => {
    const names = (...list: string[]) => list.map((name) => ({ name }));
    expect(pickSidecarCover(names('Folder.JPG', 'cover.png', 'back.jpg'))?.name).toBe('cover.png');
    expect(pickSidecarCover(names('cover.png', 'cover.jpg'))?.name).toBe('cover.jpg');
    expect(pickSidecarCover(names('front.jpeg', 'folder.png'))?.name).toBe('folder.png');
    expect(pickSidecarCover(names('scan.jpg', 'cover.jpg.bak', 'cover.bmp'))).toBeUndefined();
  });

  it('takes the front cover among embedded pictures', () => {
    const back = { data: bytes(1), type: 'Cover (back)' };
    const front = { data: bytes(2), type: 'Cover (front)' };
    expect(frontCover([back, front])).toBe(front);
    expect(frontCover([back])).toBe(back);
    expect(frontCover(undefined)).toBeUndefined();
  });
});
