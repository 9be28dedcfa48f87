import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrlsFromOutputs, main, OutputsFileError, readBackendUrls } from './build-extension';

/** What `cdk deploy --all --outputs-file` writes for one deployment (values shaped like the real ones). */
const outputs = {
  'alktunes-data': {
    MediaBucket: 'alktunes-data-mediabucket1a2b3c-xyz',
    MediaUrl: 'https://alktunes-data-mediabucket1a2b3c-xyz.s3.eu-west-1.amazonaws.com',
    Region: 'eu-west-1',
  },
  'alktunes-search': { SearchBackend: 'embedded' },
  'alktunes-auth': { AuthUrl: 'https://d1234abcd.cloudfront.net', AuthIssuer: 'https://d1234abcd.cloudfront.net' },
  'alktunes-api': { ApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/', ShuffleFunctionName: 'alktunes-api-Shuffle' },
};

describe('build:deployed', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alktunes-build-deployed-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('takes the three URLs from the outputs of the auth, API and data stacks', () => {
    expect(backendUrlsFromOutputs(outputs)).toEqual({
      authUrl: 'https://d1234abcd.cloudfront.net',
      apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com',
      mediaUrl: 'https://alktunes-data-mediabucket1a2b3c-xyz.s3.eu-west-1.amazonaws.com',
    });
  });

  it('names every missing output, and refuses two deployments or a non-https URL', () => {
    const { 'alktunes-auth': _auth, 'alktunes-data': _data, ...partial } = outputs;
    expect(() => backendUrlsFromOutputs(partial)).toThrow(/lacks AuthUrl, MediaUrl: deploy every stack/);
    expect(() => backendUrlsFromOutputs({ ...outputs, 'other-api': { ApiUrl: 'https://x.example' } })).toThrow(/2 values of ApiUrl/);
    expect(() => backendUrlsFromOutputs({ ...outputs, 'alktunes-auth': { AuthUrl: 'http://d1234abcd.cloudfront.net' } })).toThrow(
      /AuthUrl must use https:\/\//,
    );
    expect(() => backendUrlsFromOutputs({ ...outputs, 'alktunes-auth': { AuthUrl: 'd1234abcd.cloudfront.net' } })).toThrow(
      /AuthUrl must be an absolute/,
    );
    expect(() => backendUrlsFromOutputs(['a'])).toThrow(OutputsFileError);
  });

  it('says what is wrong with the file itself', async () => {
    await expect(readBackendUrls(join(dir, 'missing.json'))).rejects.toThrow(/missing\.json does not exist: deploy with `npm run deploy`/);
    await writeFile(join(dir, 'broken.json'), '{"alktunes-api": ');
    await expect(readBackendUrls(join(dir, 'broken.json'))).rejects.toThrow(/broken\.json is not valid JSON/);
    const lines: string[] = [];
    expect(
      await main(
        [join(dir, 'broken.json')],
        () => {},
        (line) => lines.push(line),
      ),
    ).toBe(2);
    expect(lines.join('\n')).toMatch(/^build:deployed: .*not valid JSON/);
    expect(
      await main(
        [],
        () => {},
        (line) => lines.push(line),
      ),
    ).toBe(2);
    expect(lines.at(-1)).toMatch(/pass exactly one outputs file[\s\S]*Usage|npm run build:deployed/);
  });

  it('builds an extension whose code and host permissions point at the deployment', async () => {
    const file = join(dir, 'cdk-outputs.json');
    await writeFile(file, JSON.stringify(outputs, null, 2));
    const lines: string[] = [];
    const code = await main(
      [file, '--out-dir', join(dir, 'out')],
      (line) => lines.push(line),
      () => {},
    );
    expect(code).toBe(0);
    const built = join(dir, 'out', 'chrome-mv3');
    expect(lines.at(-1)).toBe(`built ${built}: load it as an unpacked extension`);
    const manifest = JSON.parse(await readFile(join(built, 'manifest.json'), 'utf8')) as { host_permissions: string[] };
    expect(manifest.host_permissions.sort()).toEqual([
      'https://abc123.execute-api.eu-west-1.amazonaws.com/*',
      'https://alktunes-data-mediabucket1a2b3c-xyz.s3.eu-west-1.amazonaws.com/*',
      'https://d1234abcd.cloudfront.net/*',
    ]);
    const background = await readFile(join(built, 'background.js'), 'utf8');
    expect(background).toContain('https://abc123.execute-api.eu-west-1.amazonaws.com');
  }, 120_000);
});
