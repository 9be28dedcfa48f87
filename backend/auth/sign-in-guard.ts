import { createHash } from 'node:crypto';
import { normalizeEmail } from './auth-repository';
import { addressKey } from './client-address';
import { consume, giveBack, type Limiter, type Limiters } from './rate-limits';
import type { SignInHistory } from './sign-in-history';

export interface SignInGuardDeps {
  limiters: Pick<Limiters, 'failuresPerAddressAndAccount' | 'strangerFailuresPerAccount'>;
  signInHistory: SignInHistory;
  now?: () => number;
}

export interface SignInAttempt {
  /** The email as typed; an unknown one is counted exactly like a known one. */
  email: string;
  /** The account the email names, when there is one. */
  userId: string | undefined;
  clientAddress: string;
}

export interface SignInAdmission {
  /** The account signed in from this address before: strangers' failures didn't count against it. */
  knownAddress: boolean;
  /** The password was right: clears this address's failures and remembers the address. */
  succeeded(): Promise<void>;
  /** No password was checked after all (the server was busy): gives back what was counted. */
  withdrawn(): Promise<void>;
}

/** A user id no account has (ids are `usr_…`): the history lookup for an unknown email finds nothing. */
const NO_ACCOUNT = '';

/** The account's counter key: unknown emails count too, and no email is stored in the counters. */
const accountKey = (email: string) => createHash('sha256').update(normalizeEmail(email)).digest('base64url');

/**
 * Counts a sign-in attempt as a failure before its password is checked, so parallel guesses
 * can't all slip past a limit checked first and counted after; `succeeded` takes it back.
 * Counted per (account, address), and per account for addresses that never signed in to it:
 * strangers from many addresses slow down, but can't lock the owner out of the addresses the
 * owner uses (OWASP Authentication and Credential Stuffing cheat sheets).
 * Throws `rateLimited` (429) when a limit is reached, giving back what the attempt counted elsewhere.
 */
export async function admitSignIn(deps: SignInGuardDeps, attempt: SignInAttempt): Promise<SignInAdmission> {
  const address = addressKey(attempt.clientAddress);
  const account = accountKey(attempt.email);
  // Looked up for an unknown email too (under an id no account has), so the time this takes
  // doesn't tell whether the account exists.
  const knownAddress = (await deps.signInHistory.isKnown(attempt.userId ?? NO_ACCOUNT, address)) && attempt.userId !== undefined;
  const counters: [Limiter, string][] = [[deps.limiters.failuresPerAddressAndAccount, `${account}:${address}`]];
  if (!knownAddress) counters.push([deps.limiters.strangerFailuresPerAccount, account]);

  const counted: [Limiter, string][] = [];
  const giveAllBack = () => Promise.all(counted.map(([limiter, key]) => giveBack(limiter, key)));
  try {
    for (const [limiter, key] of counters) {
      await consume(limiter, key);
      counted.push([limiter, key]);
    }
  } catch (error) {
    await giveAllBack();
    throw error;
  }

  return {
    knownAddress,
    async succeeded() {
      const [[pairLimiter, pairKey], stranger] = counted as [[Limiter, string], [Limiter, string]?];
      await pairLimiter.delete(pairKey);
      if (stranger) await giveBack(...stranger);
      if (attempt.userId) await deps.signInHistory.remember(attempt.userId, address, (deps.now ?? Date.now)());
    },
    async withdrawn() {
      await giveAllBack();
    },
  };
}
