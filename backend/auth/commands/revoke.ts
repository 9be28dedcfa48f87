import { unavailable } from '../../domain/errors';
import type { LogFn } from '../deps';
import type { Revocations } from '../revocations';

export interface RevokeDeps {
  revocations: Revocations;
  log: LogFn;
}

/**
 * Tells the API that tokens stopped being valid. When that cannot be written, the request fails
 * with 503 and the failure is logged with the ids concerned: nothing is dropped quietly. Callers
 * order their own changes so that repeating the request completes it (see each command).
 */
export async function revoke(
  deps: RevokeDeps,
  what: Record<string, unknown>,
  write: (revocations: Revocations) => Promise<void>,
): Promise<void> {
  try {
    await write(deps.revocations);
  } catch (error) {
    deps.log({
      level: 'error',
      msg: 'revocation not written: the API accepts these access tokens until they expire unless the request is repeated',
      ...what,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    throw unavailable('Could not end access everywhere just now; try again', error);
  }
}
