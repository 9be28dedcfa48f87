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
 * sends: simple-parser terms `t`, `t*` and `t~1`, `(a | b)` groups, `q.options` fields with
 * boosts and `defaultOperator`, and an `fq` of the form `kind:'…'`. Text is split like the
 * embedded adapter splits it (no stemming). Anything else is answered with a `SearchException`,
 * which is how a real domain answers malformed syntax.
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

type Alternative = { word: string; mode: 'exact' | 'prefix' | 'fuzzy'; distance: number };

class StubError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function parseQuery(q: string): Alternative[][] {
  const groups: Alternative[][] = [];
  for (const match of q.matchAll(/\(([^()]*)\)|([^\s()]+)/g)) {
    const alternatives = (match[1] ?? match[2]!).split('|').map((part) => {
      const term = /^([\p{L}\p{N}]+)(\*|~(\d))?$/u.exec(part.trim());
      if (!term) throw new StubError(400, 'SearchException', `Syntax error in query: unexpected "${part.trim()}"`);
      const mode = term[2] === '*' ? 'prefix' : term[2] ? 'fuzzy' : 'exact';
      return { word: term[1]!, mode, distance: Number(term[3] ?? 0) } as Alternative;
    });
    groups.push(alternatives);
  }
  if (q.replace(/\(([^()]*)\)|([^\s()]+)|\s/g, '') !== '') throw new StubError(400, 'SearchException', 'Syntax error in query: unbalanced parentheses');
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

function termScore(alternative: Alternative, tokens: string[]): number {
  let best = 0;
  for (const token of tokens) {
    if (token === alternative.word) return 1;
    if (alternative.mode === 'prefix' && token.startsWith(alternative.word)) best = Math.max(best, 0.6);
    if (alternative.mode === 'fuzzy' && Math.abs(token.length - alternative.word.length) <= alternative.distance && editDistance(token, alternative.word) <= alternative.distance) {
      best = Math.max(best, 0.5);
    }
  }
  return best;
}

function search(docs: Map<string, Record<string, string>>, query: Record<string, string>) {
  if (query['q.parser'] !== 'simple') throw new StubError(400, 'SearchException', `the stub only speaks q.parser=simple, got ${query['q.parser']}`);
  const options = JSON.parse(query['q.options'] ?? '{}') as { fields?: string[]; defaultOperator?: string };
  const fields = (options.fields ?? ['title', 'artist', 'album']).map((f) => {
    const [name, boost] = f.split('^');
    return { name: name!, boost: Number(boost ?? 1) };
  });
  const filter = query.fq ? /^kind:'(\w+)'$/.exec(query.fq) : null;
  if (query.fq && !filter) throw new StubError(400, 'SearchException', `the stub only filters on kind, got ${query.fq}`);
  const groups = parseQuery(query.q ?? '');
  const scored: { id: string; score: number; sort: string }[] = [];
  for (const [id, doc] of docs) {
    if (filter && doc.kind !== filter[1]) continue;
    let total = 0;
    let all = true;
    for (const group of groups) {
      let best = 0;
      for (const field of fields) {
        const tokens = searchTerms(doc[field.name] ?? '');
        // Shorter fields weigh more, a crude stand-in for the engine's length normalisation.
        const norm = 1 / Math.sqrt(Math.max(1, tokens.length));
        for (const alternative of group) best = Math.max(best, termScore(alternative, tokens) * field.boost * norm);
      }
      if (best === 0) all = false;
      total += best;
    }
    if (groups.length > 0 && (options.defaultOperator === 'or' ? total > 0 : all)) scored.push({ id, score: total, sort: doc.sort_key ?? '' });
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
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...(type ? { 'x-amzn-errortype': type } : {}) });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const query = Object.fromEntries(url.searchParams);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const started = performance.now();
    const status = () => ({ rid: randomUUID(), timems: Math.round(performance.now() - started) });
    try {
      if (req.method === 'GET' && url.pathname === '/2013-01-01/search') return answer(res, 200, { status: status(), ...search(documents, query) });
      if (req.method === 'GET' && url.pathname === '/2013-01-01/suggest') return answer(res, 200, { status: status(), ...suggest(documents, query) });
      if (req.method === 'POST' && url.pathname === '/2013-01-01/documents/batch') {
        if (throttled > 0) {
          throttled--;
          return answer(res, 429, { status: 'error', message: 'Rate exceeded' }, 'DocumentServiceException');
        }
        return answer(res, 200, applyBatch(documents, Buffer.concat(chunks)));
      }
      if (req.method === 'POST' && url.pathname === '/') {
        const { status, xml } = answerConfigRequest(new URLSearchParams(Buffer.concat(chunks).toString('utf8')), domain, req.headers.host ?? '');
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
