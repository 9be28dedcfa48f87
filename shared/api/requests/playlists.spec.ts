import { describe, expect, it } from 'vitest';
import { addEntriesSchema, createPlaylistSchema, moveEntrySchema, updatePlaylistSchema } from './playlists';

describe('playlist requests', () => {
  it('trims names and bounds their length', () => {
    expect(createPlaylistSchema.parse({ name: '  Jazz  ' })).toEqual({ name: 'Jazz', description: '' });
    expect(createPlaylistSchema.safeParse({ name: '   ' }).success).toBe(false);
    expect(createPlaylistSchema.safeParse({ name: 'x'.repeat(101) }).success).toBe(false);
    expect(createPlaylistSchema.safeParse({ name: 'x'.repeat(100), description: 'd'.repeat(500) }).success).toBe(true);
    expect(createPlaylistSchema.safeParse({ name: 'x', description: 'd'.repeat(501) }).success).toBe(false);
  });

  it('requires a version and at least one change on update', () => {
    expect(updatePlaylistSchema.safeParse({ name: 'x' }).success).toBe(false);
    expect(updatePlaylistSchema.safeParse({ version: 1 }).success).toBe(false);
    expect(updatePlaylistSchema.parse({ description: '', version: 1 })).toEqual({ description: '', version: 1 });
  });

  it('accepts positions and bounds batch adds', () => {
    expect(addEntriesSchema.parse({ trackIds: ['tr_a'] }).position).toBe('end');
    expect(addEntriesSchema.parse({ trackIds: ['tr_a'], position: { before: 'en_1' } }).position).toEqual({ before: 'en_1' });
    expect(addEntriesSchema.safeParse({ trackIds: ['tr_a'], position: 'middle' }).success).toBe(false);
    expect(addEntriesSchema.safeParse({ trackIds: [] }).success).toBe(false);
    expect(addEntriesSchema.safeParse({ trackIds: Array(101).fill('tr_a') }).success).toBe(false);
    expect(addEntriesSchema.safeParse({ trackIds: ['../etc'] }).success).toBe(false);
    expect(moveEntrySchema.parse({ before: null })).toEqual({ before: null });
    expect(moveEntrySchema.safeParse({}).success).toBe(false);
  });
});
