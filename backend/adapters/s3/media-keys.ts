/**
 * Where the media bucket keeps what: audio under `audio/`, covers under `covers/`, each named
 * by its content. The import writes these keys, and the CDK stacks grant each function
 * `s3:GetObject` only on the prefixes whose URLs it presigns.
 */
export const MEDIA_PREFIXES = { audio: 'audio/', covers: 'covers/' } as const;

/** `audio/<name>.<extension>`: the key of a track's audio file. */
export const audioKeyFor = (name: string, extension: string) => `${MEDIA_PREFIXES.audio}${name}.${extension}`;

/** `covers/<name>.<extension>`: the key of an album cover. */
export const coverKeyFor = (name: string, extension: string) => `${MEDIA_PREFIXES.covers}${name}.${extension}`;
