import { createDynamoRevocations } from '../adapters/dynamodb/revocations.dynamodb';
import { ACCESS_TOKEN_TTL_SECONDS } from './access-tokens';
import { processIo } from './admin/command';
import { serverAdminCommand } from './admin/server-admin';
import { EXTENSION_ORIGINS } from '../http/cors';
import { type AuthEnv, parseAuthEnv } from './env';
import { jsonLineLog, startAuthServer } from './server';

/** Where the server, and its admin command, tell the API of revoked access tokens. */
const revocationsFor = (env: AuthEnv) =>
  createDynamoRevocations({
    table: env.REVOCATIONS_TABLE,
    region: env.AWS_REGION,
    endpoint: env.AWS_ENDPOINT_URL_DYNAMODB,
    tokenLifetimeSeconds: ACCESS_TOKEN_TTL_SECONDS,
  });

/** Production entry (systemd runs the bundle of it on the instance): config from the environment, graceful stop on SIGTERM/SIGINT. */
async function main() {
  const parsed = parseAuthEnv(process.env);
  if (!parsed.ok) {
    console.error(parsed.message);
    process.exit(1);
  }
  const { env } = parsed;
  const server = await startAuthServer({
    host: env.HOST,
    port: env.PORT,
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    databaseUrl: env.DATABASE_URL,
    keysFile: env.AUTH_KEYS_FILE,
    corsOrigins: [...EXTENSION_ORIGINS, ...(env.CORS_ORIGINS ?? [])],
    trustedProxies: env.TRUSTED_PROXIES,
    registration: env.REGISTRATION,
    revocations: revocationsFor(env),
    log: jsonLineLog,
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    jsonLineLog({ level: 'info', msg: 'auth server stopping', signal });
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        jsonLineLog({ level: 'error', msg: 'auth server stop failed', error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

const [subcommand, ...rest] = process.argv.slice(2);
if (subcommand === 'admin') {
  // `node main.mjs admin …` (see backend/auth/admin): the admin command with this server's configuration.
  process.exitCode = await serverAdminCommand(rest, processIo, process.env, revocationsFor);
} else {
  main().catch((error: unknown) => {
    const { message, cause } = error instanceof Error ? error : { message: String(error), cause: undefined };
    jsonLineLog({
      level: 'error',
      msg: 'auth server failed to start',
      error: message,
      cause: cause instanceof Error ? cause.message : cause,
    });
    process.exit(1);
  });
}
