import type { RegistrationPolicy } from '../../shared/api';

// The policies are the API's (`GET /auth/registration` names the one in effect).
export { REGISTRATION_POLICIES } from '../../shared/api';
export type { RegistrationPolicy } from '../../shared/api';

/** A self-hosted server is private unless its admin opens it. */
export const DEFAULT_REGISTRATION_POLICY: RegistrationPolicy = 'invite';
