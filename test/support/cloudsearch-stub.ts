import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { foldCase, searchTerms } from '../../backend/domain/search-text';
import { answerConfigRequest, type StubDomain } from './cloudsearch-config-stub';

/**
 * A protocol stub of an Amazon CloudSearch domain (2013-01-01 API, as the AWS SDK calls it with
 * `format=sdk`): `GET /2013-01-01/search`, `GET /2013-01-01/suggest` and
 * `POST /2013-01-01/documents/batch`, with CloudSearch's response shapes (`status: {rid, timems}`,
 * `hits.hit[].fields` as lists) and errors (`x-amzn-errortype`); and on the same port the
 * configuration service's `DescribeDomains` (`POST /`), which reports the stub as the domain.
 *
 * It is NOT a search engine. Matching is a naive scan that understands only what the adapter
 * sends: simple-parser terms `t`, `t*` and `t~n`, `(a | b)` groups, `q.options` fields with
 * boosts and `defaultOperator`, and an `fq` of the form `kind:'…'`. Text is split like the
 * embedded adapter splits it, with neither stemming nor stopwords, as the domain's `*_words`
 * fields are analysed (`catalog_words`: language `mul`, no stopwords). Anything else is answered
 * with a `SearchException`: the stub refuses what it does not model, in the form a domain
 * rejects malformed syntax. A GET over 8190 bytes is refused with a 413, as a domain refuses it.
 *
 * Where CloudSearch's behaviour matters to the adapter, the stub leans towards what makes the
 * adapter's job harder. AWS documents `~n` only as matching terms that "differ by up to n
 * characters"; the stub ASSUMES the Lucene fuzzy query underneath: Levenshtein distance (an
 * adjacent swap costs 2), capped at 2. Scores are ASSUMED Lucene-like too, not measured on a
 * domain: a matched term weighs more the rarer it is (idf, counted here over the documents of
 * the kind asked for, where a domain counts over its whole index), shorter fields weigh more,
 * and with `defaultOperator: 'or'` a score is scaled by the share of query terms matched
 * (coordination). So a rare word that is only one edit from a mistyped word can crowd an OR
 * request's first hits ahead of items matching more of the query, as it could on a domain.
 */
export interface CloudSearchStub {
  url: string;
  documents: Map<string, Record<string, string>>;
  requests: { method: string; path: string; query: Record<string, string> }[];
  /** The one domain its configuration service (`DescribeDomains`) reports; active, named `alktunes-search`, by default. */
  domain: StubDomain;
  /** The next `count` document batches answer 429 (throttled). */
  throttleNextBatches(count: number): void;
  close(): Promise<void>;
}

const MAX_BATCH_BYTES = 5 * 1024 * 1024;
/** A search request sent with GET may have this many bytes, method, URI and protocol included. */
const MAX_GET_REQUEST_BYTES = 8190;
/** Lucene's simple parser caps `~n` here (its Levenshtein automata go no further). */
const MAX_FUZZY_DISTANCE = 2;

export type Alternative = { word: string; mode: 'exact' | 'prefix' | 'fuzzy'; distance: number };

class StubError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** The groups of a simple-parser query as the stub understands it: each group matches when any alternative does. */
export function parseSimpleQuery(q: string): Alternative[][] {
  const groups: Alternative[][] = [];
  for (const match of q.matchAll(/\(([^()]*)\)|([^\s()]+)/g)) {
    const alternatives = (match[1] ?? match[2]!).split('|').map((part) => {
      const term = /^([\p{L}\p{N}]+)(\*|~(\d+))?$/u.exec(part.trim());
      if (!term) throw new StubError(400, 'SearchException', `Syntax error in query: unexpected "${part.trim()}"`);
      const distance = Math.min(Number(term[3] ?? 0), MAX_FUZZY_DISTANCE);
      const mode = term[2] === '*' ? 'prefix' : distance > 0 ? 'fuzzy' : 'exact';
      return { word: term[1]!, mode, distance } as Alternative;
    });
    groups.push(alternatives);
  }
  if (q.replace(/\(([^()]*)\)|([^\s()]+)|\s/g, '') !== '')
    throw new StubError(400, 'SearchException', 'Syntax error in query: unbalanced parentheses');
  return groups;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** Whether an indexed word answers one alternative: equal, starting with it (`t*`), or within `~n` Levenshtein edits. */
export function alternativeMatches(alternative: Alternative, token: string): boolean {
  if (token === alternative.word) return true;
  if (alternative.mode === 'prefix') return token.startsWith(alternative.word);
  return (
    alternative.mode === 'fuzzy' &&
    Math.abs(token.length - alternative.word.length) <= alternative.distance &&
    editDistance(token, alternative.word) <= alternative.distance
  );
}

/** How well a field's tokens answer one alternative, before the term's rarity weighs in. */
function termScore(alternative: Alternative, tokens: string[]): number {
  let best = 0;
  for (const token of tokens) {
    if (token === alternative.word) return 1;
    if (alternativeMatches(alternative, token)) best = Math.max(best, alternative.mode === 'prefix' ? 0.6 : 0.5);
  }
  return best;
}

/** A document's words per field, split once per stored version of the document (as a domain indexes it once). */
const indexed = new WeakMap<Record<string, string>, Map<string, string[]>>();
function tokensOf(doc: Record<string, string>, field: string): string[] {
  let fields = indexed.get(doc);
  if (!fields) indexed.set(doc, (fields = new Map()));
  let tokens = fields.get(field);
  if (!tokens) fields.set(field, (tokens = searchTerms(doc[field] ?? '')));
  return tokens;
}

function search(docs: Map<string, Record<string, string>>, query: Record<string, string>) {
  if (query['q.parser'] !== 'simple')
    throw new StubError(400, 'SearchException', `the stub only speaks q.parser=simple, got ${query['q.parser']}`);
  const options = JSON.parse(query['q.options'] ?? '{}') as { fields?: string[]; defaultOperator?: string };
  if (options.defaultOperator !== undefined && !['and', 'or'].includes(options.defaultOperator)) {
    throw new StubError(
      400,
      'SearchException',
      `q.options: defaultOperator must be 'and' or 'or' for the simple parser, got ${options.defaultOperator}`,
    );
  }
  const fields = (options.fields ?? ['title', 'artist', 'album']).map((f) => {
    const [name, boost] = f.split('^');
    return { name: name!, boost: Number(boost ?? 1) };
  });
  const filter = query.fq ? /^kind:'(\w+)'$/.exec(query.fq) : null;
  if (query.fq && !filter) throw new StubError(400, 'SearchException', `the stub only filters on kind, got ${query.fq}`);
  const groups = parseSimpleQuery(query.q ?? '');
  // Each document's best score per group, then how many documents each group matches (its rarity).
  const matches: { id: string; doc: Record<string, string>; best: number[] }[] = [];
  const documentFrequency = groups.map(() => 0);
  for (const [id, doc] of docs) {
    if (filter && doc.kind !== filter[1]) continue;
    const texts = fields.map((field) => {
      const tokens = tokensOf(doc, field.name);
      // Shorter fields weigh more, a crude stand-in for the engine's length normalisation.
      return { tokens, weight: field.boost / Math.sqrt(Math.max(1, tokens.length)) };
    });
    const best = groups.map((group, g) => {
      let score = 0;
      for (const { tokens, weight } of texts) {
        if (tokens.length === 0) continue;
        for (const alternative of group) score = Math.max(score, termScore(alternative, tokens) * weight);
      }
      if (score > 0) documentFrequency[g]!++;
      return score;
    });
    matches.push({ id, doc, best });
  }
  const idf = documentFrequency.map((count) => 1 + Math.log(matches.length / (count + 1)));
  const or = options.defaultOperator === 'or';
  const scored: { id: string; score: number; sort: string }[] = [];
  for (const { id, doc, best } of matches) {
    const matched = best.filter((score) => score > 0).length;
    if (matched === 0 || (!or && matched < groups.length)) continue;
    const total = best.reduce((sum, score, g) => sum + score * idf[g]!, 0);
    scored.push({ id, score: or ? (total * matched) / groups.length : total, sort: doc.sort_key ?? '' });
  }
  scored.sort((a, b) => b.score - a.score || a.sort.localeCompare(b.sort));
  const start = Number(query.start ?? 0);
  const size = Number(query.size ?? 10);
  const wanted = (query.return ?? '_all_fields').split(',');
  const hit = scored.slice(start, start + size).map(({ id }) => {
    const doc = docs.get(id)!;
    const names = wanted.includes('_all_fields') ? Object.keys(doc) : wanted.filter((name) => name in doc);
    return { id, fields: Object.fromEntries(names.map((name) => [name, [doc[name]!]])) };
  });
  return { hits: { found: scored.length, start, hit } };
}

function suggest(docs: Map<string, Record<string, string>>, query: Record<string, string>) {
  const field = /^(\w+)_suggest$/.exec(query.suggester ?? '')?.[1];
  if (!field) throw new StubError(400, 'SearchException', `Unknown suggester ${query.suggester}`);
  const wanted = foldCase(query.q ?? '');
  const suggestions: { suggestion: string; score: number; id: string }[] = [];
  for (const [id, doc] of docs) {
    const value = doc[field];
    if (!value) continue;
    const folded = foldCase(value);
    // FuzzyMatching "low": the field starts with the query, allowing one edit.
    if (folded.startsWith(wanted) || (wanted.length >= 4 && editDistance(folded.slice(0, wanted.length), wanted) <= 1)) {
      suggestions.push({ suggestion: value, score: folded.startsWith(wanted) ? 2 : 1, id });
    }
  }
  suggestions.sort((a, b) => b.score - a.score || a.suggestion.length - b.suggestion.length);
  const size = Number(query.size ?? 10);
  return { suggest: { query: query.q, found: suggestions.length, suggestions: suggestions.slice(0, size) } };
}

function applyBatch(docs: Map<string, Record<string, string>>, body: Buffer) {
  if (body.byteLength >= MAX_BATCH_BYTES) throw new StubError(413, 'DocumentServiceException', 'Request size exceeded 5242880 bytes');
  const operations = JSON.parse(body.toString('utf8')) as { type: string; id: string; fields?: Record<string, string> }[];
  let adds = 0;
  let deletes = 0;
  for (const op of operations) {
    if (op.type === 'add' && op.fields) {
      docs.set(op.id, op.fields);
      adds++;
    } else if (op.type === 'delete') {
      docs.delete(op.id);
      deletes++;
    } else throw new StubError(400, 'DocumentServiceException', `invalid operation for ${op.id}`);
  }
  return { status: 'success', adds, deletes };
}

/** Starts the stub on an ephemeral port of 127.0.0.1. */
export async function startCloudSearchStub(): Promise<CloudSearchStub> {
  const documents = new Map<string, Record<string, string>>();
  const requests: CloudSearchStub['requests'] = [];
  let throttled = 0;
  const domain: StubDomain = { name: 'alktunes-search', state: 'active' };

  const answer = (res: ServerResponse, status: number, body: unknown, type?: string) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-amzn-requestid': randomUUID(),
      ...(type ? { 'x-amzn-errortype': type } : {}),
    });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const query = Object.fromEntries(url.searchParams);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query });
    if (req.method === 'GET' && Buffer.byteLength(`GET ${req.url} HTTP/1.1`) > MAX_GET_REQUEST_BYTES) {
      res.writeHead(413, { 'content-type': 'text/plain' });
      return res.end('Request Entity Too Large');
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const started = performance.now();
    const status = () => ({ rid: randomUUID(), timems: Math.round(performance.now() - started) });
    try {
      if (req.method === 'GET' && url.pathname === '/2013-01-01/search')
        return answer(res, 200, { status: status(), ...search(documents, query) });
      if (req.method === 'GET' && url.pathname === '/2013-01-01/suggest')
        return answer(res, 200, { status: status(), ...suggest(documents, query) });
      if (req.method === 'POST' && url.pathname === '/2013-01-01/documents/batch') {
        if (throttled > 0) {
          throttled--;
          return answer(res, 429, { status: 'error', message: 'Rate exceeded' }, 'DocumentServiceException');
        }
        return answer(res, 200, applyBatch(documents, Buffer.concat(chunks)));
      }
      if (req.method === 'POST' && url.pathname === '/') {
        const { status, xml } = answerConfigRequest(
          new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
          domain,
          req.headers.host ?? '',
        );
        res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
        return res.end(xml);
      }
      return answer(res, 404, { message: `no such operation ${req.method} ${url.pathname}` }, 'SearchException');
    } catch (error) {
      if (error instanceof StubError) return answer(res, error.status, { message: error.message }, error.type);
      return answer(res, 400, { message: String(error) }, 'SearchException');
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    documents,
    requests,
    domain,
    throttleNextBatches: (count) => (throttled = count),
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
