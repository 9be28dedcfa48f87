import { browser, type Browser } from 'wxt/browser';
import type { Track } from '@/backend/domain/catalog';
import type { PlayerState } from './player/player-state';

/** What the audio element reports back after a command. */
export interface MediaStatus {
  /** False when no track is loaded (e.g. the offscreen document was closed and recreated). */
  loaded: boolean;
  paused: boolean;
  currentTime: number;
  duration: number;
}

/** Something the audio element did on its own (finished, failed, paused by media keys). */
export type AudioEvent =
  | { type: 'playing' | 'paused' | 'ended' }
  | { type: 'error'; message: string };

type Empty = Record<string, never>;

/**
 * The one message contract between popup, background and offscreen document.
 * `player/*` messages are handled by the background, `offscreen/*` by the offscreen
 * document; every message is a request with a typed response.
 */
export interface MessageMap {
  /** Popup → background: replace the queue and start playing `tracks[index]`. */
  'player/play-tracks': { request: { tracks: Track[]; index: number }; response: PlayerState };
  /** Popup → background: pause when playing, resume otherwise. */
  'player/toggle': { request: Empty; response: PlayerState };
  /** Popup → background: the current player state. */
  'player/state': { request: Empty; response: PlayerState };
  /** Offscreen → background: the audio element changed state on its own. */
  'player/audio-event': { request: AudioEvent; response: PlayerState };
  /** Background → offscreen: load `url` and play it from `startAt` seconds. */
  'offscreen/play': { request: { url: string; startAt?: number }; response: MediaStatus };
  'offscreen/pause': { request: Empty; response: MediaStatus };
  'offscreen/resume': { request: Empty; response: MediaStatus };
  'offscreen/status': { request: Empty; response: MediaStatus };
}

export type MessageType = keyof MessageMap;
export type MessageRequest<T extends MessageType> = MessageMap[T]['request'];
export type MessageResponse<T extends MessageType> = MessageMap[T]['response'];

/** A message on the wire: a discriminated union over every contract entry. */
export type Message = { [T in MessageType]: { type: T; data: MessageRequest<T> } }[MessageType];

/** Replies are wrapped so a handler's error crosses contexts as data, not as a lost promise. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

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
export async function sendMessage<T extends MessageType>(
  type: T,
  data: MessageRequest<T>,
): Promise<MessageResponse<T>> {
  const reply = (await browser.runtime.sendMessage({ type, data })) as Reply<MessageResponse<T>> | undefined;
  if (!reply) throw new MessageError('no_receiver', `Nothing handled "${type}"`);
  if (!reply.ok) throw new MessageError(reply.error.code, reply.error.message);
  return reply.value;
}

export type MessageHandlers = {
  [T in MessageType]?: (
    data: MessageRequest<T>,
    sender: Browser.runtime.MessageSender,
  ) => MessageResponse<T> | Promise<MessageResponse<T>>;
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
