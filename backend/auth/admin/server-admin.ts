import { AdminCommandError } from '../commands/admin';
import { type AuthEnv, parseAuthEnv } from '../env';
import type { Revocations } from '../revocations';
import { AdminUsageError } from './args';
import { type AdminIo, adminCommand, runAdminRequest } from './command';
import { openAdminDeps } from './deps';

/**
 * `node main.mjs admin …`: the admin command on the server's own database and revocations
 * table, configured by the server's environment (on the instance, its env file). This is what
 * `npm run admin -- --stack-outputs …` runs on the auth instance.
 */
export function serverAdminCommand(
  argv: readonly string[],
  io: AdminIo,
  env: NodeJS.ProcessEnv,
  revocationsFor: (env: AuthEnv) => Revocations,
): Promise<number> {
  return adminCommand(argv, io, async ({ request, target, sealTo }) => {
    if (Object.keys(target).length > 0) {
      throw new AdminUsageError(
        '--stack-outputs, --region and --data-dir choose where npm run admin runs; the server runs the command on its own database',
      );
    }
    const parsed = parseAuthEnv(env);
    if (!parsed.ok) throw new AdminCommandError(parsed.message);
    const deps = await openAdminDeps({ databaseUrl: parsed.env.DATABASE_URL, revocations: revocationsFor(parsed.env) });
    try {
      await runAdminRequest(request, deps, io, sealTo);
    } finally {
      await deps.close();
    }
  });
}
