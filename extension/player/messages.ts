import { browser, type Browser } from 'wxt/browser';
import type { Track } from '@@/shared/api';
import type { PlayerState, RepeatMode } from '@/player/player-state';

/** What the audio host reports about its current track. */
export interface MediaStatus {
  /** False when no track is loaded (e.g. the offscreen document was closed and recreated). */
  loaded: boolean;
  paused: boolean;
  currentTime: number;
  duration: number;
  /** The loaded track's id, when the loader named one. */
  trackId?: string;
}

/** A track as the audio host needs it: where to stream it from, and what to show in the OS media controls. */
export interface MediaItem {
  url: string;
  /** When `url` stops working (ISO 8601, as the stream URL lookup gives it), so a buffer under a dying URL is not used. */
  expiresAt?: string;
  track?: Pick<Track, 'id' | 'title' | 'artist' | 'album' | 'coverUrl'>;
}

/** A track to buffer ahead of a likely play: its id (the key the audio host keeps it under) and where to stream it from. */
export interface BufferItem {
  trackId: string;
  url: string;
  /** When `url` stops working (ISO 8601). */
  expiresAt?: string;
}

/** Background → audio host: play `item` from `startAt` seconds with this volume. */
export interface LoadRequest extends MediaItem {
  startAt?: number;
  volume?: number;
  muted?: boolean;
}

/**
 * Something the audio element did on its own. `advanced` means it finished a track and went on
 * to the preloaded one by itself (so the queue moves even while the service worker sleeps);
 * `ended` means it finished with nothing preloaded; `checkpoint` is the position, every few
 * seconds while playing, so a restart can resume there.
 */
export type AudioEvent =
  | { type: 'playing' | 'paused' | 'ended'; trackId?: string; positionSec?: number }
  | { type: 'advanced'; trackId: string; previousTrackId?: string }
  | { type: 'error'; trackId?: string; positionSec: number; message: string }
  | { type: 'checkpoint'; trackId?: string; positionSec: number; durationSec: number };

/** Live position, pushed over a `player/progress` port to every open popup. */
export interface ProgressEvent {
  trackId?: string;
  positionSec: number;
  durationSec: number;
  paused: boolean;
}

/** The name of the port a popup opens to receive `ProgressEvent`s from the audio host. */
export const PROGRESS_PORT = 'player/progress';

/**
 * The name of the port an open popup holds to the queue owner. On it the popup posts a
 * `PrewarmRequest` once its first frame is painted, when its home feed's first rows arrive or
 * change, and every `PREWARM_INTERVAL_MS` while it stays open; the queue owner gets the first
 * play ready (audio host open, access token fresh, stream URLs fetched, the first seconds
 * buffered). When the last such port closes, the queue owner closes the audio host again if
 * nothing is loaded, and otherwise has it forget the likely plays.
 */
export const PREWARM_PORT = 'player/prewarm';

/**
 * How often an open popup asks again. It keeps the service worker awake while the popup is open
 * (a worker stops after 30 s without events), so the worker is there to see the offscreen
 * document close (`AUDIO_HOST_PORT`) and open it again; and if it was not, this request opens it.
 */
export const PREWARM_INTERVAL_MS = 20_000;

/**
 * The name of the port Chrome's offscreen document holds to the queue owner for as long as it
 * exists: when the port closes, the document has gone (Chrome closes one that made no sound for
 * 30 s), and the queue owner opens it again at once if a popup still waits for a first play.
 */
export const AUDIO_HOST_PORT = 'player/audio-host';

/** Popup → queue owner, on the `PREWARM_PORT`: tracks a click is likely to play, most likely first. */
export interface PrewarmRequest {
  trackIds: string[];
}

/** A player action that media keys, the OS media controls and keyboard shortcuts can trigger. */
export type ControlAction = 'toggle' | 'play' | 'pause' | 'next' | 'previous';

type Empty = Record<string, never>;
type State = { request: Empty; response: PlayerState };
type With<T> = { request: T; response: PlayerState };

/**
 * The one message contract between the three roles: the popup's player view
 * (`stores/player-view.ts`), the queue owner in the background (`background/queue-owner.ts`) and
 * the audio host (`audio/audio-host.ts`). `player/*` messages are answered by the queue owner with
 * the new `PlayerState` (the same state is also written to `storage.local`, which popups watch);
 * `offscreen/*` by the audio host in Chrome's offscreen document. Every message is a request with
 * a typed response.
 */
interface MessageMap {
  /** Replace the queue with `tracks` and play `tracks[index]`. */
  'player/play-tracks': With<{ tracks: Track[]; index: number }>;
  /** Play the queued track at `index`. */
  'player/jump': With<{ index: number }>;
  /** Pause when playing, resume otherwise. */
  'player/toggle': State;
  'player/play': State;
  'player/pause': State;
  /**
   * The next track. A "next" click sends only this: the queue owner moves the queue and then
   * tells the audio host (`offscreen/advance` when the track is buffered, else `offscreen/load`).
   */
  'player/next': State;
  /** The previous track, or the current one from the start when more than 3 s in. */
  'player/previous': State;
  'player/seek': With<{ positionSec: number }>;
  /** 0…1. */
  'player/volume': With<{ volume: number }>;
  'player/mute': With<{ muted: boolean }>;
  'player/shuffle': With<{ shuffle: boolean }>;
  'player/repeat': With<{ repeat: RepeatMode }>;
  /** Add to the end of the queue (`end`) or right after the current track (`next`). */
  'player/enqueue': With<{ tracks: Track[]; where: 'end' | 'next' }>;
  'player/remove': With<{ index: number }>;
  'player/move': With<{ from: number; to: number }>;
  /** Empty the queue except the current track. */
  'player/clear': State;
  /** The current player state. */
  'player/state': State;
  /**
   * A track is likely to be played next: the pointer went down on its play button. The stream
   * URL is looked up now, during the press, so the click that follows does not wait for it.
   */
  'player/warm': With<{ trackId: string }>;
  /** Media keys / OS media controls, from the audio host. Repeats within 300 ms are dropped. */
  'player/control': With<{ action: ControlAction }>;
  /** Audio host → background: the audio element changed state on its own. */
  'player/audio-event': { request: AudioEvent; response: PlayerState };
  /** Play an item; instant when it is the preloaded one. */
  'offscreen/load': { request: LoadRequest; response: MediaStatus };
  /**
   * Start the buffered track `trackId` now (answers its status once it plays); `null`, nothing
   * done, when it is not buffered. Sent by the queue owner as the first step of a change to the
   * preloaded next track; only the queue owner sends `offscreen/*` commands.
   */
  'offscreen/advance': { request: { trackId: string }; response: MediaStatus | null };
  /** Buffer the item that follows, or forget the preloaded one (`null`). */
  'offscreen/preload': { request: { item: MediaItem | null }; response: MediaStatus };
  /** Buffer the first seconds of tracks a click in an open popup is likely to play (bounded, keyed by track id). */
  'offscreen/buffer': { request: { items: BufferItem[] }; response: MediaStatus };
  /**
   * Drop every buffered likely play (`offscreen/buffer`), keeping the track playing and the
   * queue's next one: the last popup closed, so no click is coming.
   */
  'offscreen/forget': { request: Empty; response: MediaStatus };
  'offscreen/pause': { request: Empty; response: MediaStatus };
  'offscreen/resume': { request: Empty; response: MediaStatus };
  'offscreen/seek': { request: { positionSec: number }; response: MediaStatus };
  'offscreen/volume': { request: { volume: number; muted: boolean }; response: MediaStatus };
  /** Stop and unload everything (sign-out). */
  'offscreen/stop': { request: Empty; response: MediaStatus };
  'offscreen/status': { request: Empty; response: MediaStatus };
}

export type MessageType = keyof MessageMap;
export type MessageRequest<T extends MessageType> = MessageMap[T]['request'];
export type MessageResponse<T extends MessageType> = MessageMap[T]['response'];

/** A message on the wire: a discriminated union over every contract entry. */
type Message = { [T in MessageType]: { type: T; data: MessageRequest<T> } }[MessageType];

/** Replies are wrapped so a handler's error crosses contexts as data, not as a lost promise. */
type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** A failure reported by the context that handled a message. */
export class MessageError extends Error {
  override readonly name = 'MessageError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Sends a typed message to the extension's other contexts and unwraps the reply. */
export async function sendMessage<T extends MessageType>(type: T, data: MessageRequest<T>): Promise<MessageResponse<T>> {
  const reply = (await browser.runtime.sendMessage({ type, data })) as Reply<MessageResponse<T>> | undefined;
  if (!reply) throw new MessageError('no_receiver', `Nothing handled "${type}"`);
  if (!reply.ok) throw new MessageError(reply.error.code, reply.error.message);
  return reply.value;
}

export type MessageHandlers = {
  [T in MessageType]?: (data: MessageRequest<T>, sender: Browser.runtime.MessageSender) => MessageResponse<T> | Promise<MessageResponse<T>>;
};

/**
 * Registers the handlers one context owns. Messages for other contexts are left alone so
 * their owner can answer. Errors are logged here, at the boundary, and sent back as data.
 * Returns a function that removes the listener.
 */
export function onMessages(handlers: MessageHandlers, log: Pick<Console, 'error'> = console): () => void {
  const listener = (raw: unknown, sender: Browser.runtime.MessageSender, sendResponse: (reply: unknown) => void) => {
    if (!isMessage(raw) || !Object.hasOwn(handlers, raw.type)) return undefined;
    const handler = handlers[raw.type] as (data: unknown, sender: Browser.runtime.MessageSender) => unknown;
    Promise.resolve()
      .then(() => handler(raw.data, sender))
      .then(
        (value) => sendResponse({ ok: true, value } satisfies Reply<unknown>),
        (error: unknown) => {
          log.error(`[${raw.type}]`, error);
          sendResponse({ ok: false, error: toReplyError(error) } satisfies Reply<unknown>);
        },
      );
    // Keeps the channel open for the async reply (works in Chrome, Firefox and fakeBrowser).
    return true;
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}

function isMessage(raw: unknown): raw is Message {
  return typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string';
}

function toReplyError(error: unknown): { code: string; message: string } {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    return { code: error.code, message: error instanceof Error ? error.message : String(error) };
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
