import { resolve } from 'node:path';
import { REGISTRATION_POLICIES, type RegistrationPolicy } from '../auth/registration-policy';

/** The ports the local stack listens on; each can be overridden by an environment variable. */
export const defaultPorts = {
  auth: 8710,
  api: 8711,
  s3: 8712,
  dynamodb: 8713,
} as const;

export type ServiceName = keyof typeof defaultPorts;

const portEnv: Record<ServiceName, string> = {
  auth: 'AUTH_PORT',
  api: 'API_PORT',
  s3: 'S3_PORT',
  dynamodb: 'DYNAMODB_PORT',
};

/** Deployment prefix of the local tables and bucket (`alktunes-playlists`, `alktunes-media`…). */
export const localPrefix = 'alktunes';
export const localRegion = 'us-east-1';
export const apiAudience = 'alktunes-api';

export interface LocalStackSettings {
  host: string;
  dataDir: string;
  ports: Record<ServiceName, number>;
  /** `sqlite:<file>` (default) or a `mysql://` URL. */
  databaseUrl?: string;
  openBrowser: boolean;
  buildExtension: boolean;
  /** Who may register; `open` unless REGISTRATION says otherwise (a development stack). */
  registration: RegistrationPolicy;
}

function parsePort(name: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number between 0 and 65535, got "${value}"`);
  }
  return port;
}

/** Reads the local stack's settings from the environment, failing with a message that says what to fix. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): LocalStackSettings {
  const ports = { ...defaultPorts } as Record<ServiceName, number>;
  for (const service of Object.keys(portEnv) as ServiceName[]) {
    const value = env[portEnv[service]];
    if (value) ports[service] = parsePort(portEnv[service], value);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^(mysql|sqlite):/.test(databaseUrl)) {
    throw new Error(`DATABASE_URL must start with mysql:// or sqlite:, got "${databaseUrl.split(':')[0]}:…"`);
  }
  const registration = env.REGISTRATION || 'open';
  if (!(REGISTRATION_POLICIES as readonly string[]).includes(registration)) {
    throw new Error(`REGISTRATION must be one of ${REGISTRATION_POLICIES.join(', ')}, got "${registration}"`);
  }
  return {
    host: env.HOST || '127.0.0.1',
    dataDir: resolve(env.ALKTUNES_DATA_DIR || '.data'),
    ports,
    databaseUrl,
    openBrowser: env.ALKTUNES_OPEN_BROWSER !== '0',
    buildExtension: env.ALKTUNES_BUILD_EXTENSION !== '0',
    registration: registration as RegistrationPolicy,
  };
}

export { portEnv };
