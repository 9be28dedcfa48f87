/** A response with its JSON body already read (undefined for empty bodies). */
export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

// Test code reads whatever the server returned; a loose body type keeps assertions short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** Minimal JSON-over-HTTP client for tests of the auth server. */
export function authClient(baseUrl: string) {
  async function send(method: string, path: string, options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] ??= 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined } as JsonResponse<Loose>;
  }
  return {
    send,
    get: (path: string, token?: string) => send('GET', path, { token }),
    post: (path: string, body: unknown, token?: string) => send('POST', path, { body, token }),
    delete: (path: string, body: unknown, token?: string) => send('DELETE', path, { body, token }),
  };
}

type AuthClient = ReturnType<typeof authClient>;

/**
 * Registers `account` (202, no tokens: registration never says whether the email was new) and
 * signs in with it, as clients do; fails with the server's answer when either step does.
 */
export async function registerAndSignIn(api: AuthClient, account: { email: string; password: string; name: string; inviteCode?: string }) {
  const registered = await api.post('/auth/register', account);
  if (registered.status !== 202) throw new Error(`register answered ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await api.post('/auth/login', { email: account.email, password: account.password });
  if (login.status !== 200) throw new Error(`login after register answered ${login.status} ${JSON.stringify(login.body)}`);
  return login.body as { accessToken: string; refreshToken: string; expiresIn: number; user: { id: string; email: string; name: string } };
}

let counter = 0;
/** A fresh, valid registration; unique per call. */
export function newAccount(overrides: Partial<{ email: string; password: string; name: string }> = {}) {
  counter += 1;
  return {
    email: `listener${counter}.${Math.random().toString(36).slice(2, 8)}@example.com`,
    password: 'a long unusual passphrase',
    name: `Listener ${counter}`,
    ...overrides,
  };
}
