import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { normalizeBackendUrl, type BackendUrls } from '../../utils/backend-urls';

const usage = `Builds the extension against a deployment, from the outputs file of its deploy.

  npm run build:deployed -- <outputs file> [--browser chrome|firefox] [--out-dir <dir>]

The outputs file is the one \`npm run deploy\` writes (cdk deploy --outputs-file cdk-outputs.json).
It must hold AuthUrl (auth stack), ApiUrl (API stack) and MediaUrl (data stack) of one deployment.
Load the printed folder as an unpacked extension.`;

/** The outputs file is unusable; the message says what to do. */
export class OutputsFileError extends Error {
  override name = 'OutputsFileError';
}

/** Which output feeds which of the extension's backend URLs (WXT_AUTH_URL, WXT_API_URL, WXT_MEDIA_URL). */
const OUTPUTS: Record<keyof BackendUrls, string> = { authUrl: 'AuthUrl', apiUrl: 'ApiUrl', mediaUrl: 'MediaUrl' };

/**
 * The extension's backend URLs from a `cdk deploy --outputs-file` JSON (`{ <stack>: { <output>:
 * value } }`). Throws `OutputsFileError` naming every missing output, or one that is not an
 * https URL or appears in more than one stack (two deployments in one file).
 */
export function backendUrlsFromOutputs(outputs: unknown): BackendUrls {
  if (!outputs || typeof outputs !== 'object' || Array.isArray(outputs)) {
    throw new OutputsFileError('the outputs file is not a JSON object of stacks; pass the file written by `cdk deploy --all --outputs-file <file>`');
  }
  const stacks = Object.values(outputs as Record<string, unknown>).filter((stack): stack is Record<string, unknown> => !!stack && typeof stack === 'object');
  const found = Object.entries(OUTPUTS).map(([key, name]) => {
    const values = stacks.flatMap((stack) => (typeof stack[name] === 'string' ? [stack[name]] : []));
    if (values.length > 1) throw new OutputsFileError(`the outputs file holds ${values.length} values of ${name}; keep one deployment per outputs file`);
    return [key, name, values[0]] as const;
  });
  const missing = found.filter(([, , value]) => value === undefined).map(([, name]) => name);
  if (missing.length > 0) {
    throw new OutputsFileError(
      `the outputs file lacks ${missing.join(', ')}: deploy every stack (npm run deploy) and pass the file it writes, not an older or partial one`,
    );
  }
  const urls = found.map(([key, name, value]) => {
    const url = normalizeBackendUrl(value!, name);
    if (!url.startsWith('https://')) throw new OutputsFileError(`${name} must be an https URL, got "${value}"`);
    return [key, url] as const;
  });
  return Object.fromEntries(urls) as unknown as BackendUrls;
}

/** Reads and checks the outputs file; errors name the file and what is wrong with it. */
export async function readBackendUrls(file: string): Promise<BackendUrls> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OutputsFileError(
      code === 'ENOENT'
        ? `${file} does not exist: deploy with \`npm run deploy\`, which writes cdk-outputs.json, or pass the file given to --outputs-file`
        : `cannot read ${file}: ${code ?? (error as Error).message}`,
    );
  }
  let outputs: unknown;
  try {
    outputs = JSON.parse(text);
  } catch {
    throw new OutputsFileError(`${file} is not valid JSON; pass the file written by \`cdk deploy --outputs-file\``);
  }
  return backendUrlsFromOutputs(outputs);
}

/** `build:deployed <outputs file>`: exit 0 after printing the built folder, 2 for unusable input. */
export async function main(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { browser: { type: 'string', default: 'chrome' }, 'out-dir': { type: 'string', default: '.output' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    err(`build:deployed: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(usage);
    return 0;
  }
  const browser = values.browser;
  if (positionals.length !== 1 || (browser !== 'chrome' && browser !== 'firefox')) {
    err(`build:deployed: ${positionals.length !== 1 ? 'pass exactly one outputs file' : `--browser must be chrome or firefox, got "${browser}"`}\n\n${usage}`);
    return 2;
  }
  let urls: BackendUrls;
  try {
    urls = await readBackendUrls(resolve(positionals[0]!));
  } catch (error) {
    if (!(error instanceof OutputsFileError)) throw error;
    err(`build:deployed: ${error.message}`);
    return 2;
  }
  out(`building the ${browser} extension for ${urls.apiUrl} (auth ${urls.authUrl}, media ${urls.mediaUrl})…`);
  // Loaded only now: WXT and Vite take a while to import, and bad input should fail at once.
  const { buildExtension } = await import('../../wxt.build');
  const dir = await buildExtension({ ...urls, browser, outDir: values['out-dir'], log: err });
  out(`built ${dir}: load it as an unpacked extension`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2), (line) => console.log(line), (line) => console.error(line)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`build:deployed failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
