import * as z from 'zod/mini';
import { checkDisplayName } from '../display-name';
import { FIRST_VERSION, MAX_ENTRIES_PER_ADD, PLAYLIST_FILE_FORMATS } from '../playlists';
import { idSchema } from './common';

/** `{id}` of the playlist routes. */
export const playlistParamsSchema = z.object({ id: idSchema });
/** `{id}` and `{entryId}` of the entry routes. */
export const entryParamsSchema = z.object({ id: idSchema, entryId: idSchema });

/** A display name as `checkDisplayName` rules: stored normalized, or a 400 saying what is wrong. */
const name = z.pipe(
  z.string(),
  z.transform((typed: string, ctx) => {
    const checked = checkDisplayName(typed);
    if (checked.ok) return checked.name;
    ctx.issues.push({ code: 'custom', message: checked.problem, input: typed });
    return z.NEVER;
  }),
);
const description = z.string().check(z.trim(), z.maxLength(500, { error: 'must be at most 500 characters' }));

/** `POST /playlists`. */
export const createPlaylistSchema = z.object({
  /** 1–100 characters, NFC, trimmed, inner spacing collapsed; no control, bidi-override or invisible-only names. */
  name,
  /** Up to 500 characters; defaults to empty. */
  description: z._default(description, ''),
});

/** `PATCH /playlists/{id}`. */
export const updatePlaylistSchema = z
  .object({
    name: z.optional(name),
    description: z.optional(description),
    /** The version the client last read; a stale one is a 409. */
    version: z.number().check(z.int(), z.minimum(FIRST_VERSION)),
  })
  .check(
    z.refine((v) => v.name !== undefined || v.description !== undefined, {
      error: 'nothing to change: send name or description',
      path: ['name'],
    }),
  );

/** `POST /playlists/{id}/entries`. */
export const addEntriesSchema = z.object({
  /** 1–100 tracks; the same track may be added more than once. */
  trackIds: z.array(idSchema).check(z.minLength(1), z.maxLength(MAX_ENTRIES_PER_ADD)),
  /** Where the entries go (default: at the end). */
  position: z._default(z.union([z.literal('start'), z.literal('end'), z.object({ before: idSchema })]), 'end'),
});

/** `PATCH /playlists/{id}/entries/{entryId}`. */
export const moveEntrySchema = z.object({
  /** The entry to move in front of; null moves the entry to the end. */
  before: z.nullable(idSchema),
});

/** `GET /playlists/{id}/export`: which file to write. */
export const exportQuerySchema = z.object({
  format: z.enum(PLAYLIST_FILE_FORMATS, { error: `must be one of ${PLAYLIST_FILE_FORMATS.join(', ')}` }),
});

/** `POST /playlists/import`: the new playlist's name; without one, the file's own title names it. */
export const importQuerySchema = z.object({ name: z.optional(name) });

export type CreatePlaylistInput = z.output<typeof createPlaylistSchema>;
export type UpdatePlaylistInput = z.output<typeof updatePlaylistSchema>;
export type AddEntriesInput = z.output<typeof addEntriesSchema>;
