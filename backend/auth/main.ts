import { DEFAULT_CORS_ORIGINS } from './app';
import { parseAuthEnv } from './env';
import { jsonLineLog, startAuthServer } from './server';

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
    corsOrigins: [...DEFAULT_CORS_ORIGINS, ...(env.CORS_ORIGINS ?? [])],
    trustProxy: env.TRUST_PROXY,
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

main().catch((error: unknown) => {
  const { message, cause } = error instanceof Error ? error : { message: String(error), cause: undefined };
  jsonLineLog({ level: 'error', msg: 'auth server failed to start', error: message, cause: cause instanceof Error ? cause.message : cause });
  process.exit(1);
});
