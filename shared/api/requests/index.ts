/**
 * The request schemas (zod/mini) the API's handlers validate with; `parse` in
 * `backend/api/http.ts` turns the first issue into the 400 that names the field. Kept apart from
 * the wire types (`..`), which the extension imports: it never bundles these.
 */
export * from './catalog';
export * from './common';
export * from './idempotency';
export * from './listening';
export * from './playlists';
export * from './search';
