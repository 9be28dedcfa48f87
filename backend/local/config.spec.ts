import { describe, expect, it } from 'vitest';
import { settingsFromEnv } from './config';

describe('local stack settings', () => {
  it('opens registration unless REGISTRATION says otherwise, and refuses an unknown policy', () => {
    expect(settingsFromEnv({}).registration).toBe('open');
    expect(settingsFromEnv({ REGISTRATION: 'invite' }).registration).toBe('invite');
    expect(() => settingsFromEnv({ REGISTRATION: 'public' })).toThrow('REGISTRATION must be one of open, invite, closed, got "public"');
  });
});
