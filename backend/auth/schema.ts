import { z } from 'zod';
import { checkDisplayName } from '../../shared/api/display-name';
import { isCommonPassword } from './common-passwords';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

/** An email address as typed; compared case-insensitively by the repository. */
const email = z
  .string({ error: 'Email is required' })
  .trim()
  .max(254, 'Email is too long')
  .pipe(z.email({ error: 'Enter a valid email address' }));

/** A password being chosen: 10–256 characters and not a well-known one. */
const newPassword = z
  .string({ error: 'Password is required' })
  .min(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters`)
  .refine((value) => !isCommonPassword(value), 'This password is too common, choose another');

/** A password being presented: only bounded, never policy-checked (old accounts must still log in). */
const presentedPassword = z
  .string({ error: 'Password is required' })
  .min(1, 'Password is required')
  .max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters`);

/** Display name as `checkDisplayName` rules: 1–100 characters, stored normalized; no control, bidi-override or invisible-only names. */
const name = z.string({ error: 'Name is required' }).transform((typed, ctx) => {
  const checked = checkDisplayName(typed);
  if (checked.ok) return checked.name;
  ctx.addIssue({ code: 'custom', message: `Name ${checked.problem}` });
  return z.NEVER;
});

/** An opaque refresh token as issued (base64url of 32 bytes, with slack for future formats). */
const refreshToken = z
  .string({ error: 'Refresh token is required' })
  .min(1, 'Refresh token is required')
  .max(200, 'Refresh token is malformed');

/** An admin's invite code as typed; an empty one counts as none. */
const inviteCode = z
  .string({ error: 'Invite code must be text' })
  .trim()
  .max(64, 'Invite code is too long')
  .transform((value) => value || undefined)
  .optional();

/** `inviteCode` is read only when the server's registration policy is `invite`. */
export const RegisterSchema = z.object({ email, password: newPassword, name, inviteCode });
export const LoginSchema = z.object({ email: z.string({ error: 'Email is required' }).trim().max(254), password: presentedPassword });
export const RefreshSchema = z.object({ refreshToken });
export const LogoutSchema = z.object({ refreshToken });
export const ChangePasswordSchema = z.object({ currentPassword: presentedPassword, newPassword });
export const DeleteAccountSchema = z.object({ password: presentedPassword });

export type RegisterInput = z.infer<typeof RegisterSchema>;
export type LoginInput = z.infer<typeof LoginSchema>;
export type ChangePasswordInput = z.infer<typeof ChangePasswordSchema>;
