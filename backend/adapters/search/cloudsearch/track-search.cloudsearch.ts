import { CloudSearchDomainClient, SearchCommand, SuggestCommand } from '@aws-sdk/client-cloudsearch-domain';
import type { Artist } from '../../../domain/catalog';
import type { IndexedAlbum, IndexedTrack, SearchQuery, SearchResults, Suggestion, TrackSearch } from '../../../domain/search';
import { emptyResults } from '../../../domain/search';
import { foldName, nameMatch, queryTerms } from '../../../domain/search-text';
import { uploadDocuments } from './batch-upload';
import { describeDomainEndpoints } from './domain-endpoints';
import { catalogDocuments, documentId, parseDocumentId, recordOf, type DocKind } from './documents';
import { searchedFields, searchRequest, suggesters } from './query';

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

/** Hits fetched beyond the page so exact names can be re-ranked to the top. */
const OVERFETCH = 30;

/**
 * The Amazon CloudSearch adapter (2013-01-01 API through the AWS SDK). Each search runs one
 * request per kind (tracks, albums, artists), filtered on `kind`; hits carry their record in
 * the `doc` field, so nothing else is read to answer.
 */
export class CloudSearchTrackSearch implements TrackSearch {
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

  /** Deletes the tracks' documents; albums and artists left empty are cleared by the next reindex. */
  async remove(trackIds: readonly string[]): Promise<void> {
    await uploadDocuments((await this.clients()).documents, trackIds.map((id) => ({ type: 'delete' as const, id: documentId('track', id) })));
  }

  async search(query: SearchQuery): Promise<SearchResults> {
    if (queryTerms(query.text).length === 0) return emptyResults();
    const end = query.offset + query.limit;
    const { searcher } = await this.clients();
    const page = async <T>(kind: DocKind, names: (item: T) => string[]) => {
      const fields = searchedFields(query.field, kind);
      if (!fields) return { items: [] as T[], more: false };
      const out = await searcher.send(new SearchCommand(searchRequest(query.text, kind, fields, Math.max(end + 1, OVERFETCH))));
      const hits = (out.hits?.hit ?? []).flatMap((hit, rank) => {
        const item = recordOf<T>(hit.fields);
        return item ? [{ item, rank, tier: Math.max(...names(item).map((name) => nameMatch(name, query.text))) }] : [];
      });
      hits.sort((a, b) => b.tier - a.tier || a.rank - b.rank);
      return { items: hits.slice(query.offset, end).map((h) => h.item), more: (out.hits?.found ?? 0) > end };
    };
    const trackNames = (t: IndexedTrack) =>
      query.field === 'track' ? [t.title] : query.field === 'artist' ? [t.artist] : query.field === 'album' ? [t.album] : [t.title, t.artist];
    const [tracks, albums, artists] = await Promise.all([
      page<IndexedTrack>('track', trackNames),
      page<IndexedAlbum>('album', (a) => [a.name, a.artist]),
      page<Artist>('artist', (a) => [a.name]),
    ]);
    return { tracks: tracks.items, albums: albums.items, artists: artists.items, more: tracks.more || albums.more || artists.more };
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
