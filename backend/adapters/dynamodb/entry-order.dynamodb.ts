import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EntryPosition, MoveOutcome } from '../../domain/playlists';
import type { RankedEntry, RankRewrite, RankWindow } from '../../domain/rank';
import { chunks } from './cursor';
import { entriesPk, entryKey, rewriteRank, type Item } from './playlist-items';
import { MAX_TRANSACTION_ACTIONS, TransactionConditionFailed, transactWrite } from './transactions';

/**
 * The order of a playlist's entries: the rank queries (on the `byRank` index) around the place
 * an entry goes, and the writes that change ranks, a move with the rebalance it may need. Part
 * of the playlist repository, apart because ranks are a subject of their own.
 */
export class DynamoEntryOrder {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** See `PlaylistRepository.neighbours`. */
  async neighbours(playlistId: string, position: EntryPosition, ignoreEntryId?: string) {
    if (position === 'start') return { before: null, after: await this.edgeRank(playlistId, true, ignoreEntryId) };
    if (position === 'end') return { before: await this.edgeRank(playlistId, false, ignoreEntryId), after: null };
    const anchor = await this.doc.send(new GetCommand({ TableName: this.table, Key: entryKey(playlistId, position.before) }));
    const rank = anchor.Item?.rank as string | undefined;
    if (rank === undefined) return undefined;
    return { before: await this.edgeRank(playlistId, false, ignoreEntryId, rank), after: rank };
  }

  /**
   * A plain move is one UpdateItem. A move that needs a rebalance writes the rewrites (each
   * conditional on its old rank) and the move in one transaction, so a failure never leaves half
   * a rebalance behind. `rewrites` may include the moving entry itself (the window around the
   * gap was read with it): that rewrite only matters when the rebalance does not fit one
   * transaction with the move (below); otherwise the move sets its rank.
   */
  async moveEntry(playlistId: string, entryId: string, rank: string, rewrites: readonly RankRewrite[]): Promise<MoveOutcome> {
    const move = {
      TableName: this.table,
      Key: entryKey(playlistId, entryId),
      UpdateExpression: 'SET #rank = :rank',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#rank': 'rank' },
      ExpressionAttributeValues: { ':rank': rank },
    };
    const others = rewrites.filter((rewrite) => rewrite.id !== entryId);
    if (!others.length) {
      try {
        await this.doc.send(new UpdateCommand(move));
        return 'moved';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'missing';
        throw error;
      }
    }
    if (others.length >= MAX_TRANSACTION_ACTIONS) {
      // A rebalance this wide (a window of 128 or more entries on a side, after hundreds of edits
      // at one spot) does not fit one transaction with the move. Its rewrites, the moving entry's
      // own among them, keep the list in order after each one (`planRanks`), so they go first and
      // the move after them: a failure in between leaves every entry, the moving one included,
      // in its old order, and a retry moves it.
      if (!(await this.rewriteRanks(playlistId, rewrites))) return 'raced';
      return this.moveEntry(playlistId, entryId, rank, []);
    }
    try {
      await transactWrite(this.doc, [...others.map((rewrite) => rewriteRank(this.table, playlistId, rewrite)), { Update: move }]);
      return 'moved';
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failed[others.length] === true) return 'missing';
      if (error instanceof TransactionConditionFailed) return 'raced';
      throw error;
    }
  }

  /**
   * Up to `size` entries on each side of the gap just before rank `gapAfter` (null: the end),
   * with the ranks just outside them (see `planRanks`).
   */
  async rankWindow(playlistId: string, gapAfter: string | null, size: number): Promise<RankWindow> {
    const side = async (forward: boolean) => {
      if (forward && gapAfter === null) return [];
      const found: RankedEntry[] = [];
      let start: Item | undefined;
      do {
        const out = await this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'byRank',
            KeyConditionExpression: gapAfter === null ? 'pk = :pk' : `pk = :pk AND #rank ${forward ? '>=' : '<'} :gap`,
            ExpressionAttributeNames: { '#rank': 'rank' },
            ExpressionAttributeValues: { ':pk': entriesPk(playlistId), ...(gapAfter === null ? {} : { ':gap': gapAfter }) },
            ScanIndexForward: forward,
            ProjectionExpression: 'id, #rank',
            ...(Number.isFinite(size) ? { Limit: size + 1 } : {}),
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) found.push({ id: item.id as string, rank: item.rank as string });
        start = Number.isFinite(size) ? undefined : out.LastEvaluatedKey;
      } while (start);
      return found;
    };
    const [below, above] = await Promise.all([side(false), side(true)]);
    const before = below.slice(0, size).reverse();
    const after = above.slice(0, size);
    return { lower: below[size]?.rank ?? null, before, after, upper: above[size]?.rank ?? null };
  }

  /**
   * Applies a rebalance's rewrites in order, each conditional on the entry still having its old
   * rank, up to 100 in one transaction (a rebalance of up to 50 entries on each side is one
   * write). Stops at the first transaction that fails (an entry moved or went meanwhile) and
   * returns false; the list is in order after every rewrite, so the caller can simply plan again.
   */
  async rewriteRanks(playlistId: string, rewrites: readonly RankRewrite[]): Promise<boolean> {
    for (const part of chunks(rewrites, MAX_TRANSACTION_ACTIONS)) {
      try {
        await transactWrite(
          this.doc,
          part.map((rewrite) => rewriteRank(this.table, playlistId, rewrite)),
        );
      } catch (error) {
        if (error instanceof TransactionConditionFailed) return false;
        throw error;
      }
    }
    return true;
  }

  /** Rank of the first (or last, or last below `below`) entry other than `ignore`; null if none. */
  private async edgeRank(playlistId: string, first: boolean, ignore?: string, below?: string): Promise<string | null> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byRank',
        KeyConditionExpression: below ? 'pk = :pk AND #rank < :below' : 'pk = :pk',
        ExpressionAttributeNames: below ? { '#rank': 'rank' } : undefined,
        ExpressionAttributeValues: { ':pk': entriesPk(playlistId), ...(below ? { ':below': below } : {}) },
        ScanIndexForward: first,
        Limit: 2,
      }),
    );
    const item = (out.Items ?? []).find((i) => i.id !== ignore);
    return (item?.rank as string | undefined) ?? null;
  }
}
