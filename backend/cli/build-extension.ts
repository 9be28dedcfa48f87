import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { normalizeBackendUrl, type BackendUrls } from '../../extension/api/backend-urls';
import { asStackOutputs, readStackOutputs, rethrowAs, stackOutput } from './stack-outputs';

const usage = `Builds the extension against a deployment, from the outputs file of its deploy.

  npm run build:deployed -- <outputs file> [--browser chrome|firefox] [--out-dir <dir>]

The outputs file is the one \`npm run deploy\` writes (cdk deploy --outputs-file cdk-outputs.json).
It must hold AuthUrl (auth stack), ApiUrl (API stack) and MediaUrl (data stack) of one deployment.
Load the printed folder as an unpacked extension.`;

/** The outputs file is unusable; the message says what to do. */
export class OutputsFileError extends Error {
  override name = 'OutputsFileError';
}

// Typed so that the compiler knows a call never returns.
const asOutputsFileError: (error: unknown) => never = rethrowAs(OutputsFileError);

/** Which output feeds which of the extension's backend URLs (WXT_AUTH_URL, WXT_API_URL, WXT_MEDIA_URL). */
const OUTPUTS: Record<keyof BackendUrls, string> = { authUrl: 'AuthUrl', apiUrl: 'ApiUrl', mediaUrl: 'MediaUrl' };

/**
 * The extension's backend URLs from a `cdk deploy --outputs-file` JSON (`{ <stack>: { <output>:
 * value } }`). Throws `OutputsFileError` naming every missing output, or one that is not an
 * https URL or appears in more than one stack (two deployments in one file).
 */
export function backendUrlsFromOutputs(outputs: unknown): BackendUrls {
  try {
    const stacks = asStackOutputs(outputs);
    const found = Object.entries(OUTPUTS).map(([key, name]) => [key, name, stackOutput(stacks, name)] as const);
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
  } catch (error) {
    asOutputsFileError(error);
  }
}

/** Reads and checks the outputs file; errors name the file and what is wrong with it. */
export async function readBackendUrls(file: string): Promise<BackendUrls> {
  return backendUrlsFromOutputs(await readStackOutputs(file).catch(asOutputsFileError));
}

/** `build:deployed <outputs file>`: exit 0 after printing the built folder, 2 for unusable input. */
export async function main(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        browser: { type: 'string', default: 'chrome' },
        'out-dir': { type: 'string', default: '.output' },
        help: { type: 'boolean', short: 'h' },
      },
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
    err(
      `build:deployed: ${positionals.length !== 1 ? 'pass exactly one outputs file' : `--browser must be chrome or firefox, got "${browser}"`}\n\n${usage}`,
    );
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
  main(
    process.argv.slice(2),
    (line) => console.log(line),
    (line) => console.error(line),
  ).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`build:deployed failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
