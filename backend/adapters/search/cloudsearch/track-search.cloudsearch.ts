import { CloudSearchDomainClient, SearchCommand, SuggestCommand } from '@aws-sdk/client-cloudsearch-domain';
import type { Artist } from '../../../domain/catalog';
import type { IndexedAlbum, IndexedTrack, SearchHits, SearchQuery, Suggestion } from '../../../domain/search';
import { noHits } from '../../../domain/search';
import { parseSearchQuery, searchGuidance, searchedFields, withShortWordEdits, type SearchKind } from '../../../domain/search-ranking';
import { foldName, nameMatch, queryTerms } from '../../../domain/search-text';
import type { SearchIndexWriter } from '../search-index-writer';
import { uploadDocuments } from './batch-upload';
import { describeDomainEndpoints } from './domain-endpoints';
import { catalogDocuments, documentId, parseDocumentId } from './documents';
import { bestCoverageOnly, bestHits, rankHits, RANK_WINDOW, type HitRecord, type HitWindow } from './hit-ranking';
import { boostedFields, searchRequest, suggesters } from './query';

interface CloudSearchBase {
  region: string;
  /** Fixed credentials for a local stub; absent in the cloud (the default chain applies). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Where the domain is: its name, whose endpoints are then looked up once with `DescribeDomains`
 * (the deployed functions and admin commands), or, for the protocol stubs only, an endpoint.
 */
export type CloudSearchOptions = CloudSearchBase &
  (
    | {
        /** A stub's search endpoint; documents go to the same endpoint with `search-` → `doc-`. */
        searchEndpoint: string;
      }
    | {
        domainName: string;
        /** The configuration service of a stub; absent in the cloud. */
        configEndpoint?: string;
      }
  );

interface DomainClients {
  searcher: CloudSearchDomainClient;
  documents: CloudSearchDomainClient;
}

/**
 * The Amazon CloudSearch adapter (2013-01-01 API through the AWS SDK). Each search runs one
 * request per kind (tracks, albums, artists), filtered on `kind`, and asks again more loosely
 * when that finds nothing; hits carry their record in the `doc` field, so nothing else is read
 * to answer, and the shared ranking orders them.
 */
export class CloudSearchTrackSearch implements SearchIndexWriter {
  /** Album and artist documents carry counts, built from the tracks of each upload. */
  readonly upsertsWholeAlbums = true;
  private readonly clients: () => Promise<DomainClients>;

  constructor(options: CloudSearchOptions) {
    const base = { region: options.region, ...(options.credentials ? { credentials: options.credentials } : {}) };
    this.clients = onceUntilFailure(async () => {
      const endpoints =
        'domainName' in options
          ? await describeDomainEndpoints({ ...options, domainName: options.domainName })
          : { search: options.searchEndpoint, document: options.searchEndpoint.replace('//search-', '//doc-') };
      return {
        searcher: new CloudSearchDomainClient({ ...base, endpoint: endpoints.search }),
        documents: new CloudSearchDomainClient({ ...base, endpoint: endpoints.document }),
      };
    });
    // Look the endpoints up during the cold start rather than the first search; a failure here
    // is not lost: the first request retries the lookup and reports its error.
    if ('domainName' in options) this.clients().catch(() => {});
  }

  async upsert(tracks: readonly IndexedTrack[]): Promise<void> {
    await uploadDocuments((await this.clients()).documents, catalogDocuments(tracks));
  }

  /** Uploads every document again; documents of tracks gone since stay until removed. */
  async replaceAll(tracks: readonly IndexedTrack[]): Promise<void> {
    await this.upsert(tracks);
  }

  /** Nothing to do: CloudSearch indexes each upload itself, within seconds. */
  async publish(): Promise<undefined> {
    return undefined;
  }

  /** A deployed domain always has an index, empty or not. */
  async hasIndex(): Promise<boolean> {
    return true;
  }

  /** Nothing runs in the background. */
  close(): void {}

  /** Deletes the tracks' documents; albums and artists left empty are cleared by the next reindex. */
  async remove(trackIds: readonly string[]): Promise<void> {
    await uploadDocuments(
      (await this.clients()).documents,
      trackIds.map((id) => ({ type: 'delete' as const, id: documentId('track', id) })),
    );
  }

  /**
   * One request per kind, every term required. When nothing at all matches and the query has
   * short words, they are asked again with one edit ("vih" → "vieh"). When still no kind has a
   * hit, every kind is asked for items matching any term (a query of one word has nothing to
   * relax); a kind with hits for every term is never asked so, as its partial matches would not
   * be shown. Each kind's first hits are ordered by the shared ranking, as the embedded adapter
   * orders its candidates, and only the kinds matching the most words show hits.
   */
  async search(query: SearchQuery): Promise<SearchHits> {
    let terms = parseSearchQuery(query.text);
    if (terms.length === 0) return noHits();
    const end = query.offset + query.limit;
    const { searcher } = await this.clients();
    const kinds = (['track', 'album', 'artist'] as const).filter((kind) => searchedFields(query.field, kind));
    const ask = (operator: 'and' | 'or') =>
      Promise.all(
        kinds.map(async (kind) => {
          const request = searchRequest(terms, kind, boostedFields(query.field, kind)!, Math.max(end + 1, RANK_WINDOW), operator);
          const out = await searcher.send(new SearchCommand(request));
          return { hits: out.hits?.hit ?? [], found: out.hits?.found ?? 0 };
        }),
      );
    const nothing = (windows: readonly HitWindow[]) => windows.every((w) => w.found === 0);
    let windows = await ask('and');
    const loosened = terms.map(withShortWordEdits);
    if (nothing(windows) && loosened.some((term, i) => term.maxEdits !== terms[i]!.maxEdits)) {
      terms = loosened;
      windows = await ask('and');
    }
    if (nothing(windows) && terms.length > 1) windows = await ask('or');
    const shown = bestCoverageOnly(kinds.map((kind, i) => rankHits(terms, query.field, kind, windows[i]!, end, query.plays)));
    const page = <T extends HitRecord>(kind: SearchKind) =>
      (shown.find((p) => p.kind === kind)?.ranked ?? []).slice(query.offset, end).map((r) => r.item as T);
    const results: SearchHits = {
      tracks: page<IndexedTrack>('track'),
      albums: page<IndexedAlbum>('album'),
      artists: page<Artist>('artist'),
      more: shown.some((p) => p.more),
    };
    return query.offset === 0 ? { ...results, ...searchGuidance(terms, bestHits(query.field, shown)) } : results;
  }

  /** Asks each suggester, keeps suggestions of the kind it is for, artists first on equal match. */
  async suggest(text: string, limit: number): Promise<Suggestion[]> {
    const terms = queryTerms(text);
    if (terms.length === 0) return [];
    const prefix = terms.join(' ');
    const { searcher } = await this.clients();
    const answers = await Promise.all(
      suggesters.map(async ({ name, kind }) => {
        const out = await searcher.send(new SuggestCommand({ query: prefix, suggester: name, size: limit * 2 }));
        return (out.suggest?.suggestions ?? []).flatMap((s, rank) => {
          const parsed = s.id ? parseDocumentId(s.id) : undefined;
          return parsed?.kind === kind && s.suggestion ? [{ text: s.suggestion, kind, id: parsed.id, rank }] : [];
        });
      }),
    );
    const order = { artist: 0, album: 1, track: 2 };
    const seen = new Set<string>();
    return answers
      .flat()
      .sort((a, b) => nameMatch(b.text, text) - nameMatch(a.text, text) || a.rank - b.rank || order[a.kind] - order[b.kind])
      .filter((s) => {
        const key = `${s.kind}\u0000${foldName(s.text)}`;
        return !seen.has(key) && !!seen.add(key);
      })
      .slice(0, limit)
      .map(({ text: name, kind, id }) => ({ text: name, kind, id }));
  }
}

/** Memoizes `load`, but forgets a failure so the next call tries again. */
function onceUntilFailure<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}
