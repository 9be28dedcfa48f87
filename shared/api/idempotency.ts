/**
 * Idempotent retries of creates and adds (API.md, "Idempotency-Key"): the client names each
 * action with a key of its own and sends it again with every retry of that action.
 */

/** The request header that carries the key: 1–255 visible ASCII characters, a random UUID by choice. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** The response header of an answer that was stored by an earlier request with the key, not written now. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';
