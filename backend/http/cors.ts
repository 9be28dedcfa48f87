/**
 * Which browser pages may call the auth server and the API, and what they may send and read.
 * The methods, headers and preflight lifetime are defined here once for every place that answers
 * CORS: API Gateway's preflight (infra/stacks/api-stack.ts), the local gateway that stands in for
 * it (backend/local/gateway.ts) and the auth server (backend/auth/app.ts).
 *
 * The origins differ. The extension is the only browser client, so the auth server and the local
 * gateway admit its pages (`EXTENSION_ORIGINS`). The deployed API and the media bucket admit the
 * `corsOrigins` setting (infra/config.ts), `*` unless a deployment lists its extension's origins:
 * Firefox gives every install its own id, so a self-hoster cannot know them all when deploying.
 * `*` is safe there because the API reads bearer tokens from `Authorization`, never cookies, and
 * the bucket serves presigned URLs: a page of another origin gets nothing the browser would send
 * on its own, only what it could fetch with a credential it already holds. A listed origin is
 * added to the auth server's too (infra/stacks/auth-stack.ts).
 */

/** The extension's pages: Chrome's (an id of 32 letters a–p) and Firefox's (a per-install UUID), any id. */
export const EXTENSION_ORIGINS: readonly RegExp[] = [/^chrome-extension:\/\/[a-p]{32}$/, /^moz-extension:\/\/[\w-]{1,64}$/];

/** Allowed origins: exact strings, or patterns such as `EXTENSION_ORIGINS`. */
export type OriginRule = string | RegExp;

/** The methods a policy may allow: a closed list, so a misspelt method does not compile. */
export type CorsMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CorsPolicy {
  allowMethods: readonly CorsMethod[];
  allowHeaders: readonly string[];
  /** Response headers a page of another origin may read. */
  exposeHeaders: readonly string[];
  /** How long a browser may reuse a preflight's answer. */
  maxAgeSeconds: number;
}

/** The API's. */
export const apiCors: CorsPolicy = {
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  // Idempotency-Key: the extension names each create and add, so its retries are safe (API.md)…
  allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
  // …and reads whether an answer was replayed from an earlier request with that key.
  exposeHeaders: ['idempotent-replayed'],
  maxAgeSeconds: 3600,
};

/** The auth server's: its routes are GET, POST and DELETE; clients read Retry-After on a 429 or 503. */
export const authCors: CorsPolicy = {
  allowMethods: ['GET', 'POST', 'DELETE'],
  allowHeaders: ['content-type', 'authorization', 'x-request-id'],
  exposeHeaders: ['retry-after', 'x-request-id'],
  maxAgeSeconds: 600,
};

/** Whether a request's `Origin` is one the rules allow (a missing origin never is). */
export const isAllowedOrigin = (origin: string | undefined, rules: readonly OriginRule[]): boolean =>
  !!origin && rules.some((rule) => (typeof rule === 'string' ? rule === origin : rule.test(origin)));
