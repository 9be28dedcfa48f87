import { describe, expect, it } from 'vitest';
import { applyPlaylistUpdate, type Playlist } from './playlists';

const playlist: Playlist = {
  id: 'pl_1',
  name: 'Old',
  description: 'desc',
  entryCount: 3,
  version: 4,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

describe('playlist rules', () => {
  it('bumps the version and keeps the entry count on update', () => {
    const next = applyPlaylistUpdate(playlist, { name: 'New' }, '2025-02-01T00:00:00.000Z');
    expect(next).toMatchObject({ name: 'New', description: 'desc', version: 5, entryCount: 3, updatedAt: '2025-02-01T00:00:00.000Z' });
  });
});
