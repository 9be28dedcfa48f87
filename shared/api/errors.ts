/**
 * The stable category of every error. The auth server answers some with a more specific code
 * (`invalid_credentials` is an `unauthorized`, `server_busy` an `unavailable`) and the same status.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'idempotency_key_reused'
  | 'too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

/** The body of every error answer. */
export interface ErrorBody {
  error: {
    /** An `ErrorCode`, or the auth server's more specific code; stable, clients may branch on it. */
    code: string;
    /** A sentence for people; it may change. */
    message: string;
    /** Dotted path of the input field the error is about (400s, some 403s). */
    field?: string;
    /**
     * Client-safe details, beside the fields above: `retryable: true` on a 409 worth sending
     * again, `added` and `requested` on an add that stopped part way, `retryAfter` (seconds).
     */
    [detail: string]: unknown;
  };
}
