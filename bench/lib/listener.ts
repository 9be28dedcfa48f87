/**
 * One simulated listener of `bench/load.ts`: opens home, searches as it types, opens its
 * playlists, adds, moves and removes entries, fetches stream URLs — with think time between
 * actions. It keeps its own model of its playlists, changed only by 2xx answers, so the end
 * state can be checked against an independent record of acknowledged writes.
 */
import { seededRandom } from '../../test/support/random';

export interface ListenerAccount {
  accessToken: string;
  refreshToken: string;
}

export interface ListenerContext {
  api: string;
  auth: string;
  trackIds: string[];
  /** Words to "type" into search; empty when the API has no /search. */
  searchWords: string[];
  thinkMs: number;
  deadline: number;
  record(action: string, status: number, ms: number): void;
}

type ModelEntry = { id: string; trackId: string };

/** The token of an account, refreshed once (not once per listener) when it expires. */
export class SharedSession {
  private refreshing?: Promise<void>;
  constructor(
    private account: ListenerAccount,
    private readonly authUrl: string,
  ) {}
  get token() {
    return this.account.accessToken;
  }
  refresh(stale: string): Promise<void> {
    if (stale !== this.account.accessToken) return Promise.resolve();
    this.refreshing ??= (async () => {
      const response = await fetch(`${this.authUrl}/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: this.account.refreshToken }),
      });
      if (response.ok) this.account = (await response.json()) as ListenerAccount;
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }
}

export class Listener {
  /** Playlist id → entries in order, from acknowledged writes only. */
  readonly model = new Map<string, ModelEntry[]>();
  /** Playlists whose last write had an unknown outcome (connection error): not checked exactly. */
  readonly uncertain = new Set<string>();
  private readonly random: () => number;

  constructor(
    private readonly ctx: ListenerContext,
    private readonly session: SharedSession,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  private async call<T>(action: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T } | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = this.session.token;
      const started = performance.now();
      try {
        const response = await fetch(`${this.ctx.api}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        this.ctx.record(action, response.status, performance.now() - started);
        if (response.status === 401 && attempt === 0) {
          await this.session.refresh(token);
          continue;
        }
        return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
      } catch {
        this.ctx.record(action, 0, performance.now() - started);
        return undefined;
      }
    }
    return undefined;
  }

  private think(scale = 1) {
    return new Promise((resolve) => setTimeout(resolve, this.ctx.thinkMs * scale * (0.5 + this.random())));
  }

  async run(): Promise<void> {
    await this.createPlaylist();
    while (Date.now() < this.ctx.deadline) {
      const roll = this.random();
      if (roll < 0.1) await this.call('open home', 'GET', '/home');
      else if (roll < 0.25) await this.searchAsTyping();
      else if (roll < 0.4) await this.openPlaylists();
      else if (roll < 0.6) await this.addEntries();
      else if (roll < 0.72) await this.moveEntry();
      else if (roll < 0.8) await this.removeEntry();
      else if (roll < 0.97) await this.call('stream url', 'GET', `/tracks/${this.pick(this.ctx.trackIds)}/stream`);
      else if (this.model.size < 4) await this.createPlaylist();
      await this.think();
    }
  }

  private async createPlaylist() {
    const response = await this.call<{ id: string }>('create playlist', 'POST', '/playlists', {
      name: `Mix ${Math.floor(this.random() * 1e6)}`,
    });
    if (response?.status === 201) this.model.set(response.body.id, []);
  }

  private async searchAsTyping() {
    if (!this.ctx.searchWords.length) return;
    const word = this.pick(this.ctx.searchWords);
    // The popup debounces keystrokes: a query every other character, ~150 ms apart.
    for (let length = 2; length <= word.length; length += 2) {
      await this.call('search as typing', 'GET', `/search?q=${encodeURIComponent(word.slice(0, length))}&limit=20`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }

  private async openPlaylists() {
    await this.call('list playlists', 'GET', '/playlists');
    const ids = [...this.model.keys()];
    if (ids.length) await this.call('open playlist entries', 'GET', `/playlists/${this.pick(ids)}/entries?limit=200`);
  }

  private ownPlaylist(): [string, ModelEntry[]] | undefined {
    const certain = [...this.model.entries()].filter(([id]) => !this.uncertain.has(id));
    return certain.length ? this.pick(certain) : undefined;
  }

  private async addEntries() {
    const own = this.ownPlaylist();
    if (!own) return;
    const [playlistId, entries] = own;
    const trackIds = Array.from({ length: 1 + Math.floor(this.random() * 3) }, () => this.pick(this.ctx.trackIds));
    const where = this.random();
    const anchor = where < 0.3 && entries.length ? this.pick(entries) : undefined;
    const position = anchor ? { before: anchor.id } : where < 0.45 ? 'start' : 'end';
    const response = await this.call<{ items: ModelEntry[] }>('add entries', 'POST', `/playlists/${playlistId}/entries`, {
      trackIds,
      position,
    });
    if (!response) return void this.uncertain.add(playlistId);
    if (response.status !== 201) return;
    const added = response.body.items.map(({ id, trackId }) => ({ id, trackId }));
    const index = anchor ? entries.indexOf(anchor) : position === 'start' ? 0 : entries.length;
    entries.splice(index, 0, ...added);
  }

  private async moveEntry() {
    const own = this.ownPlaylist();
    if (!own || own[1].length < 2) return;
    const [playlistId, entries] = own;
    const moving = this.pick(entries);
    const rest = entries.filter((e) => e !== moving);
    const target = Math.floor(this.random() * (rest.length + 1));
    const before = rest[target]?.id ?? null;
    const response = await this.call('move entry', 'PATCH', `/playlists/${playlistId}/entries/${moving.id}`, { before });
    if (!response) return void this.uncertain.add(playlistId);
    if (response.status !== 200) return;
    rest.splice(target, 0, moving);
    entries.splice(0, entries.length, ...rest);
  }

  private async removeEntry() {
    const own = this.ownPlaylist();
    if (!own || !own[1].length) return;
    const [playlistId, entries] = own;
    const removing = this.pick(entries);
    const response = await this.call('remove entry', 'DELETE', `/playlists/${playlistId}/entries/${removing.id}`);
    if (!response) return void this.uncertain.add(playlistId);
    if (response.status === 204) entries.splice(entries.indexOf(removing), 1);
  }
}
