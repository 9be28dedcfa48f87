/**
 * First line of every ESM bundle the app deploys: CommonJS dependencies (mysql2, koa, parts of
 * the AWS SDK) call require(), which an ES module does not define.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";
