/**
 * Where each account has signed in from, by address key (see client-address.ts). A sign-in from
 * one of these addresses is the owner's, most likely: strangers' failures don't hold it back.
 * Rows go with the account (foreign key, on delete cascade), and are forgotten after
 * SIGN_IN_HISTORY_DAYS without a sign-in from the address.
 */
export interface SignInHistory {
  /** True when the account has signed in from this address before. */
  isKnown(userId: string, addressKey: string): Promise<boolean>;
  /** Records a successful sign-in from the address. */
  remember(userId: string, addressKey: string, now: number): Promise<void>;
  /** Forgets addresses no account has signed in from since `cutoff` (addresses are personal data; see SIGN_IN_HISTORY_DAYS). */
  forgetLastSeenBefore(cutoff: number): Promise<void>;
}

/** How long an address stays known without a sign-in from it: long enough for a quarterly traveller, short enough not to keep a log of everyone's addresses. */
export const SIGN_IN_HISTORY_DAYS = 90;
