import { allEntries, expectStatus, type ApiClient } from './api-client';
import { deliver, unanswered, type Ledger, type Write } from './playlist-writers';

/** What one playlist holds after a drill, against what its writers were told. */
export interface PlaylistFigures {
  playlistId: string;
  /** The playlist's `entryCount`. */
  entryCount: number;
  /** Entries `GET /playlists/{id}/entries` lists. */
  listed: number;
  /** `entryCount - listed`. */
  drift: number;
  /** Listings of an entry id beyond its first. */
  repeated: number;
  /** Entries an acknowledged add named, never removed, that are not listed. */
  lost: number;
  /**
   * Listed entries no acknowledged add named: written by a request the client never heard back
   * from and then wrote again on its retry (duplicates), or left half written.
   */
  phantoms: number;
  /** Listed entries an acknowledged remove took out. */
  resurrected: number;
  /** Acknowledged moves whose result no other write could have changed, so their order is checked. */
  movesChecked: number;
  /** Of those, moves whose entry is not right before its anchor (or last, for a move to the end). */
  misplaced: number;
  /** Listed entries a move (`PATCH`, to the end) or a `DELETE` did not answer 2xx for. */
  unmovable: number;
  undeletable: number;
  /** `entryCount` and listed entries once every listed entry was deleted. */
  countAfterDrain: number;
  listedAfterDrain: number;
}

/** The anchor of a move (`before`), null for a move to the end. */
const anchorOf = (move: Write) => (move.body as { before: string | null }).before;

/**
 * Whether `other` may have changed the order that the acknowledged `move` left: it was still
 * under way (or not yet sent) when the move was sent, in the same playlist, and it moved or removed
 * the moved entry or its anchor, or put something right before the anchor (an add or a move
 * before it; for a move to the end, any add or move to the end). Writes that got no answer or
 * were refused count too: the server may have done them.
 */
function disturbs(other: Write, move: Write): boolean {
  if (other === move || other.playlistId !== move.playlistId) return false;
  if (other.settledAt !== undefined && other.settledAt < (move.sentAt as number)) return false;
  const anchor = anchorOf(move);
  if (other.entryId === move.entryId || (anchor !== null && other.entryId === anchor)) return true;
  const before =
    other.kind === 'move' ? anchorOf(other) : other.kind === 'add' ? (other.body as { position: unknown }).position : undefined;
  if (anchor === null) return before === null || before === 'end';
  return typeof before === 'object' && before !== null ? (before as { before?: string }).before === anchor : before === anchor;
}

/**
 * The acknowledged moves of `playlistId` nothing could have undone, and how many of them the
 * listing `ids` contradicts: the entry is not right before its anchor, or not last after a move
 * to the end. Moves that another write may have disturbed (see `disturbs`) are not checked.
 */
function checkMoves(ledger: Ledger, playlistId: string, ids: readonly string[]): { movesChecked: number; misplaced: number } {
  const index = new Map(ids.map((id, i) => [id, i]));
  const inPlaylist = ledger.writes.filter((w) => w.playlistId === playlistId);
  // A move before itself is acknowledged and leaves the entry where it was: it says nothing about the order.
  const checked = inPlaylist.filter(
    (w) =>
      w.kind === 'move' && w.outcome === 'acknowledged' && anchorOf(w) !== w.entryId && !inPlaylist.some((other) => disturbs(other, w)),
  );
  const misplaced = checked.filter((move) => {
    const at = index.get(move.entryId as string);
    const anchor = anchorOf(move);
    // An entry that is not listed at all is counted as lost.
    if (at === undefined) return false;
    return anchor === null ? at !== ids.length - 1 : index.get(anchor) !== at + 1;
  });
  return { movesChecked: checked.length, misplaced: misplaced.length };
}

/** Sends a request as a client does, again on a retryable answer (a conflict of the concurrent drain), and gives its final status. */
async function settledStatus(api: ApiClient, method: Write['method'], path: string, body?: unknown): Promise<number | undefined> {
  const write: Write = { kind: 'move', playlistId: '', method, path, body, outcome: 'pending', retried: false, attempts: [] };
  return (await deliver(api, write, () => true)).status;
}

/** Runs `task` for every item, `concurrency` at a time. */
async function eachConcurrently<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * Reads every playlist back and compares it with the ledger: each entry an acknowledged add
 * named is listed exactly once unless an acknowledged remove took it out (a remove that answers
 * 404 counts as done when an earlier attempt of it got no answer: that attempt may have done it),
 * nothing else is listed, `entryCount` agrees with the listing, and each acknowledged move that
 * no other write may have disturbed left its entry right before its anchor (see `checkMoves`).
 * Then moves and deletes every listed entry, a few at a time, which leaves each playlist empty
 * with a count of 0.
 */
export async function auditPlaylists(api: ApiClient, ledger: Ledger, playlistIds: readonly string[]): Promise<PlaylistFigures[]> {
  const named = new Map<string, string>();
  const removed = new Set<string>();
  for (const write of ledger.writes) {
    if (write.kind === 'add' && write.outcome === 'acknowledged') for (const id of write.added ?? []) named.set(id, write.playlistId);
    if (write.kind === 'remove' && (write.outcome === 'acknowledged' || (write.status === 404 && unanswered(write))))
      removed.add(write.entryId as string);
  }
  return Promise.all(
    playlistIds.map(async (playlistId) => {
      const entries = await allEntries(api, playlistId);
      const ids = entries.map((e) => e.id);
      const unique = new Set(ids);
      const expected = [...named].filter(([id, owner]) => owner === playlistId && !removed.has(id)).map(([id]) => id);
      const entryCount = await countOf(api, playlistId);
      const moves = checkMoves(ledger, playlistId, ids);
      let unmovable = 0;
      let undeletable = 0;
      await eachConcurrently([...unique], 4, async (id) => {
        const path = `/playlists/${playlistId}/entries/${id}`;
        if ((await settledStatus(api, 'PATCH', path, { before: null })) !== 200) unmovable++;
        if ((await settledStatus(api, 'DELETE', path)) !== 204) undeletable++;
      });
      return {
        playlistId,
        entryCount,
        listed: ids.length,
        drift: entryCount - ids.length,
        repeated: ids.length - unique.size,
        lost: expected.filter((id) => !unique.has(id)).length,
        phantoms: [...unique].filter((id) => !named.has(id)).length,
        resurrected: [...unique].filter((id) => removed.has(id)).length,
        ...moves,
        unmovable,
        undeletable,
        countAfterDrain: await countOf(api, playlistId),
        listedAfterDrain: (await allEntries(api, playlistId)).length,
      };
    }),
  );
}

async function countOf(api: ApiClient, playlistId: string): Promise<number> {
  return expectStatus(await api.get<{ entryCount: number }>(`/playlists/${playlistId}`), 200, 'get playlist').entryCount;
}

/** The figures as a table for the test output. */
export function figuresTable(figures: readonly PlaylistFigures[]): string {
  const columns = [
    'entryCount',
    'listed',
    'drift',
    'repeated',
    'lost',
    'phantoms',
    'resurrected',
    'movesChecked',
    'misplaced',
    'unmovable',
    'undeletable',
    'countAfterDrain',
    'listedAfterDrain',
  ] as const;
  const rows = figures.map((f, i) => [`#${i + 1}`, ...columns.map((c) => String(f[c]))]);
  const header = ['playlist', ...columns];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] as number)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
