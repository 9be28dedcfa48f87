import { ApiError } from '@/api/api-client';

/** Words for a failure the listener can act on; the server's message when it sent one. */
export function describeError(cause: unknown, fallback: string): string {
  if (cause instanceof ApiError) {
    if (cause.status === 0) return "Can't reach Alktunes. Check your connection and try again.";
    return cause.message;
  }
  return fallback;
}

/** True for a request dropped because a newer one replaced it. */
export function isAborted(cause: unknown): boolean {
  return (cause instanceof ApiError && cause.code === 'aborted') || (cause instanceof DOMException && cause.name === 'AbortError');
}
