import { z } from 'zod';
import { parseTrustedProxies } from './client-address';
import { REGISTRATION_POLICIES } from './registration-policy';

const origins = z
  .string()
  .optional()
  .transform((value) =>
    value
      ?.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  );

/** The auth server's configuration, read once from the environment. */
export const AuthEnvSchema = z.object({
  /** Port to listen on (nginx proxies to it). */
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Interface to bind; keep 127.0.0.1 behind nginx. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Public base URL, e.g. https://auth.example.com — the `iss` API Gateway is configured with. */
  AUTH_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  /** `aud` of access tokens; must match the API Gateway authorizer's audience. */
  AUTH_AUDIENCE: z.string().min(1).default('alktunes-api'),
  /** sqlite:<file> or mysql://user:pass@host:3306/db */
  DATABASE_URL: z.string().regex(/^(sqlite:.+|mysql:\/\/.+)$/, 'must be sqlite:<file> or mysql://user:pass@host:port/db'),
  /** Private signing keys file; created on first start with mode 0600. */
  AUTH_KEYS_FILE: z.string().min(1),
  /** Extra allowed origins, comma-separated; extension origins are always allowed. */
  CORS_ORIGINS: origins,
  /**
   * Proxies whose X-Forwarded-For names the client: comma-separated IPs or CIDRs, e.g. 127.0.0.1
   * for nginx on the same host. Empty (the default): the socket's peer is the client.
   */
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parseTrustedProxies(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** Who may register: open (anyone), invite (an admin's invite code) or closed (admin command only); the server's default (invite) when unset. */
  REGISTRATION: z.enum(REGISTRATION_POLICIES).optional(),
  /** DynamoDB table the API reads revocations from (logout, password change, disabled or deleted accounts). */
  REVOCATIONS_TABLE: z.string().trim().min(1),
  /** Region of REVOCATIONS_TABLE. */
  AWS_REGION: z.string().trim().min(1),
  /** A local DynamoDB stand-in (the local stack's); unset in the cloud. */
  AWS_ENDPOINT_URL_DYNAMODB: z.url({ protocol: /^https?$/ }).optional(),
});

export type AuthEnv = z.infer<typeof AuthEnvSchema>;

/** Parses the environment or returns a message naming every variable to fix. */
export function parseAuthEnv(env: NodeJS.ProcessEnv): { ok: true; env: AuthEnv } | { ok: false; message: string } {
  const result = AuthEnvSchema.safeParse(env);
  if (result.success) return { ok: true, env: result.data };
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  return { ok: false, message: `Auth server configuration is invalid. Set these environment variables:\n${lines.join('\n')}` };
}
