import { en } from 'zod/locales';
import { config } from 'zod/mini';

// The backend's schemas use zod/mini, the tree-shakable build: a Lambda bundles ~20 KB of it
// instead of classic zod's ~450 KB (~60 ms of every cold start). It ships without messages;
// importing this module gives the API's 400s the English wording classic zod has. Import it
// beside `zod/mini` in every backend module that defines or parses schemas; the request schemas
// in shared/api/requests stay free of it (the extension must not load it) and are parsed by
// `parse` in backend/api/http.ts, which imports it. Never re-export the `z` namespace: a
// namespace used as a value defeats tree shaking.
config(en());
