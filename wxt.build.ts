import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'wxt';
import { resolveBackendUrls } from './extension/api/backend-urls';

/** What a build of the extension points at. */
export interface BuildExtensionOptions {
  /** Auth server base URL, e.g. `http://127.0.0.1:8710`. */
  authUrl: string;
  /** API base URL, e.g. `http://127.0.0.1:8711`. */
  apiUrl: string;
  /** Origin of the presigned media URLs (S3 or its local stand-in). */
  mediaUrl: string;
  /** Directory to build into; the unpacked extension lands in `<outDir>/chrome-mv3` (or `firefox-mv2`). */
  outDir: string;
  /** Chrome (MV3, the default) or Firefox (MV2, WXT's default there). */
  browser?: 'chrome' | 'firefox';
  /** Build warnings and errors, one line each; dropped when absent. */
  log?: (line: string) => void;
}

const root = path.dirname(fileURLToPath(import.meta.url));
const ENV_KEYS = ['WXT_AUTH_URL', 'WXT_API_URL', 'WXT_MEDIA_URL'] as const;

/** Builds run one at a time: each one sets the backend URLs in `process.env` while it runs. */
let previousBuild: Promise<unknown> = Promise.resolve();

/**
 * Builds the extension (Chrome MV3 unless told otherwise) against the given backend and
 * resolves to the directory to load unpacked (`--load-extension=<dir>`). The URLs reach the
 * code through `import.meta.env` and the manifest's host permissions through `wxt.config.ts`,
 * exactly as `WXT_AUTH_URL=… npx wxt build` would.
 */
export function buildExtension(options: BuildExtensionOptions): Promise<string> {
  const run = previousBuild.catch(() => {}).then(() => buildOnce(options));
  previousBuild = run;
  return run;
}

async function buildOnce(options: BuildExtensionOptions): Promise<string> {
  const env: Record<(typeof ENV_KEYS)[number], string> = {
    WXT_AUTH_URL: options.authUrl,
    WXT_API_URL: options.apiUrl,
    WXT_MEDIA_URL: options.mediaUrl,
  };
  resolveBackendUrls(env); // fail before building when a URL is malformed
  const outBase = path.resolve(options.outDir);
  const browser = options.browser ?? 'chrome';
  const target = browser === 'chrome' ? 'chrome-mv3' : 'firefox-mv2';
  const saved = ENV_KEYS.map((key) => [key, process.env[key]] as const);
  Object.assign(process.env, env);
  try {
    await build({
      root,
      browser,
      mode: 'production',
      outDir: outBase,
      outDirTemplate: target,
      logger: quietLogger(options.log),
    });
    return path.join(outBase, target);
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

function quietLogger(log: (line: string) => void = () => {}) {
  const line =
    (level: string) =>
    (...args: unknown[]) =>
      log(`[wxt ${level}] ${args.map(String).join(' ')}`);
  const ignore = () => {};
  return {
    level: 3,
    debug: ignore,
    log: ignore,
    info: ignore,
    success: ignore,
    warn: line('warn'),
    error: line('error'),
    fatal: line('fatal'),
  };
}
