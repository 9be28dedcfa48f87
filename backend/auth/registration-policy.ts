/**
 * Who may create an account through `POST /auth/register`: anyone (`open`), holders of an
 * admin's invite code (`invite`), or nobody (`closed`). The admin command creates accounts
 * under every policy.
 */
export const REGISTRATION_POLICIES = ['open', 'invite', 'closed'] as const;

export type RegistrationPolicy = (typeof REGISTRATION_POLICIES)[number];

/** A self-hosted server is private unless its admin opens it. */
export const DEFAULT_REGISTRATION_POLICY: RegistrationPolicy = 'invite';
