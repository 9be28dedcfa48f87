import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asStackOutputs, readStackOutputs, rethrowAs, stackOutput, StackOutputsError } from './stack-outputs';

const outputs = {
  'alktunes-data': { MediaBucket: 'media', TracksTable: 'tracks' },
  'alktunes-api': { ApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/' },
};

describe('stack outputs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alktunes-stack-outputs-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds an output in whichever stack holds it', () => {
    expect(stackOutput(outputs, 'TracksTable')).toBe('tracks');
    expect(stackOutput(outputs, 'ApiUrl')).toBe('https://abc123.execute-api.eu-west-1.amazonaws.com/');
    expect(stackOutput(outputs, 'AuthUrl')).toBeUndefined();
  });

  it('refuses an output held by two stacks, naming them', () => {
    const two = { ...outputs, 'staging-data': { MediaBucket: 'other' } };
    expect(() => stackOutput(two, 'MediaBucket')).toThrow(
      new StackOutputsError(
        'the outputs file holds 2 values of MediaBucket (stacks alktunes-data, staging-data); keep one deployment per outputs file',
      ),
    );
  });

  it('accepts only an object of stacks', () => {
    expect(asStackOutputs(outputs)).toEqual(outputs);
    for (const value of [null, 'text', ['a'], { stack: 'not outputs' }, { stack: ['a'] }]) {
      expect(() => asStackOutputs(value, 'out.json')).toThrow(/^out\.json is not a JSON object of stacks/);
    }
  });

  it('says what is wrong with the file itself', async () => {
    await expect(readStackOutputs(join(dir, 'missing.json'))).rejects.toThrow(/missing\.json does not exist: deploy with `npm run deploy`/);
    await writeFile(join(dir, 'broken.json'), '{"alktunes-api": ');
    await expect(readStackOutputs(join(dir, 'broken.json'))).rejects.toThrow(/broken\.json is not valid JSON/);
    await writeFile(join(dir, 'list.json'), '[]');
    await expect(readStackOutputs(join(dir, 'list.json'))).rejects.toThrow(StackOutputsError);
    await writeFile(join(dir, 'cdk-outputs.json'), JSON.stringify(outputs));
    expect(await readStackOutputs(join(dir, 'cdk-outputs.json'))).toEqual(outputs);
  });

  it('rethrows its own errors as the caller’s type and leaves others alone', () => {
    class CommandError extends Error {}
    const convert = rethrowAs(CommandError);
    const own = new StackOutputsError('bad file');
    expect(() => convert(own)).toThrow(new CommandError('bad file'));
    const other = new TypeError('bug');
    expect(() => convert(other)).toThrow(other);
  });
});
