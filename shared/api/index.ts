/**
 * The API's wire shapes: what the auth server and the API answer, shared by the backend that
 * sends them and the extension that reads them (docs/API.md describes the routes). Types, plain
 * constants and the display-name rule, nothing that pulls in a library; the request schemas the
 * handlers validate with are in `./requests`, kept apart so the extension never bundles zod.
 */
export * from './auth';
export * from './catalog';
export * from './display-name';
export * from './errors';
export * from './home';
export * from './idempotency';
export * from './ids';
export * from './listening';
export * from './playlists';
export * from './search';
