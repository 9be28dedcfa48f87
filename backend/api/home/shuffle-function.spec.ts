import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../test/support/processes';
import { logger } from '../../lambda-runtime/logger';
import { loadApiConfig } from '../config';
import { createShuffleFunction } from './shuffle-function';

describe('the shuffle function', () => {
  afterEach(() => vi.restoreAllMocks());

  it('fails loudly when it cannot publish: one error line saying so, then the error for Lambda to count', async () => {
    const config = loadApiConfig({
      PLAYLISTS_TABLE: 'p',
      TRACKS_TABLE: 't',
      HOME_TABLE: 'h',
      REVOCATIONS_TABLE: 'r',
      LISTENING_TABLE: 'l',
      MEDIA_BUCKET: 'm',
      // Nothing listens there: every DynamoDB call fails to connect.
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await freePort()}`,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => {});
    const shuffle = createShuffleFunction(config);
    await expect(shuffle({} as never)).rejects.toThrow();
    expect(errors).toHaveBeenCalledExactlyOnceWith(expect.stringMatching(/^home feed not published/), { error: expect.any(Error) });
  }, 20_000);
});
