import type { Construct } from 'constructs';
import { DEFAULT_REGISTRATION_POLICY, REGISTRATION_POLICIES, type RegistrationPolicy } from '../backend/auth/registration-policy';

/** Where search queries are answered: the embedded index or a CloudSearch domain (README.md, "Deploy to AWS", "With CloudSearch"). */
export type SearchBackend = 'embedded' | 'cloudsearch';

/** Deployment settings, read once from CDK context (`cdk.json` or `-c key=value`). */
export interface InfraConfig {
  /** Prefix of physical names (tables, secrets, search domain), e.g. `alktunes-playlists`. */
  prefix: string;
  /** Deletion protection on tables, database and instance; `false` only for throwaway environments. */
  deletionProtection: boolean;
  searchBackend: SearchBackend;
  /**
   * The auth server's own domain name, e.g. `auth.example.com`, served by CloudFront with
   * `authCertificateArn` (an ACM certificate in us-east-1); the JWT issuer becomes
   * `https://<authDomain>`. Default: none, the issuer is the CloudFront URL.
   */
  authDomain?: string;
  authCertificateArn?: string;
  /** Image of the auth server: an Amazon Linux 2023 AMI name or an `ami-…` id (see `auth-server-image.ts`). */
  authAmi?: string;
  /** Audience the API accepts and the auth server puts into access tokens. */
  authAudience: string;
  /**
   * Origins allowed by CORS on the API and the media bucket, `*` by default, and added to the extension's
   * origins the auth server always allows (why `*` is safe: backend/http/cors.ts).
   */
  corsOrigins: string[];
  /** Lifetime of presigned stream URLs handed out by the Lambdas. */
  streamUrlTtlSeconds: number;
  /** Address that receives the alarms (function errors, API 5xx, auth host, database); none by default. */
  alarmEmail?: string;
  /** Who may create an account on the auth server (its REGISTRATION): `open`, `invite` (the default) or `closed`. */
  registration: RegistrationPolicy;
}

const PREFIX = /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/;

/** Reads and validates the context; throws with the key to fix so a bad value fails at synth, not at deploy. */
export function readConfig(scope: Construct): InfraConfig {
  const get = (key: string): unknown => scope.node.tryGetContext(key);

  const prefix = asString(get('prefix'), 'prefix') ?? 'alktunes';
  if (!PREFIX.test(prefix)) {
    throw new Error(`context "prefix" must match ${PREFIX} (it names tables and the search domain), got "${prefix}"`);
  }

  const searchBackend = asString(get('searchBackend'), 'searchBackend') ?? 'embedded';
  if (searchBackend !== 'embedded' && searchBackend !== 'cloudsearch') {
    throw new Error(`context "searchBackend" must be "embedded" or "cloudsearch", got "${searchBackend}"`);
  }

  if (get('authIssuer') !== undefined) {
    throw new Error(
      'context "authIssuer" is not a setting: remove it and set authDomain=auth.example.com and authCertificateArn (ACM, us-east-1); the issuer is https://<authDomain>',
    );
  }
  const authDomain = asString(get('authDomain'), 'authDomain');
  const authCertificateArn = asString(get('authCertificateArn'), 'authCertificateArn');
  if (authDomain !== undefined && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(authDomain)) {
    throw new Error(`context "authDomain" must be a lower-case DNS name such as auth.example.com (no scheme), got "${authDomain}"`);
  }
  if ((authDomain === undefined) !== (authCertificateArn === undefined)) {
    throw new Error('contexts "authDomain" and "authCertificateArn" go together: CloudFront serves the domain with that certificate');
  }
  if (authCertificateArn !== undefined && !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(authCertificateArn)) {
    throw new Error(
      `context "authCertificateArn" must be an ACM certificate ARN in us-east-1 (CloudFront reads certificates only there), got "${authCertificateArn}"`,
    );
  }
  const authAmi = asString(get('authAmi'), 'authAmi');
  if (authAmi !== undefined && !/^(ami-[0-9a-f]{8,17}|al2023-ami-[\w.-]+-arm64)$/.test(authAmi)) {
    throw new Error(`context "authAmi" must be an ami-… id or an arm64 Amazon Linux 2023 AMI name (al2023-ami-…-arm64), got "${authAmi}"`);
  }

  const streamUrlTtlSeconds = Number(get('streamUrlTtlSeconds') ?? 900);
  if (!Number.isInteger(streamUrlTtlSeconds) || streamUrlTtlSeconds < 60 || streamUrlTtlSeconds > 604_800) {
    throw new Error(`context "streamUrlTtlSeconds" must be an integer between 60 and 604800, got "${String(get('streamUrlTtlSeconds'))}"`);
  }

  const alarmEmail = asString(get('alarmEmail'), 'alarmEmail');
  if (alarmEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(alarmEmail)) {
    throw new Error(`context "alarmEmail" must be an email address, got "${alarmEmail}"`);
  }

  const registration = asString(get('registration'), 'registration') ?? DEFAULT_REGISTRATION_POLICY;
  if (!isRegistrationPolicy(registration)) {
    throw new Error(
      `context "registration" must be ${REGISTRATION_POLICIES.map((policy) => `"${policy}"`).join(', ')}, got "${registration}"`,
    );
  }

  return {
    prefix,
    deletionProtection: asBoolean(get('deletionProtection'), 'deletionProtection') ?? true,
    searchBackend,
    authDomain,
    authCertificateArn,
    authAmi,
    authAudience: asString(get('authAudience'), 'authAudience') ?? 'alktunes-api',
    corsOrigins: asList(get('corsOrigins')) ?? ['*'],
    streamUrlTtlSeconds,
    alarmEmail,
    registration,
  };
}

function isRegistrationPolicy(value: string): value is RegistrationPolicy {
  return (REGISTRATION_POLICIES as readonly string[]).includes(value);
}

function asString(value: unknown, key: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context "${key}" must be a string, got ${JSON.stringify(value)}`);
  return value;
}

/** `-c key=false` arrives as a string, `cdk.json` as a boolean; accept both. */
function asBoolean(value: unknown, key: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context "${key}" must be true or false, got ${JSON.stringify(value)}`);
}

/** A JSON array in `cdk.json`, or a comma-separated string from `-c corsOrigins=a,b`. */
function asList(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  const list = items.map((item) => item.trim()).filter(Boolean);
  return list.length > 0 ? list : undefined;
}
