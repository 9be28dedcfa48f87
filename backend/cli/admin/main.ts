import { resolve } from 'node:path';
import { AdminUsageError } from '../../auth/admin/args';
import { type AdminIo, adminCommand, runAdminRequest } from '../../auth/admin/command';
import { openAdminDeps } from '../../auth/admin/deps';
import { runOnDeployment, type DeploymentOptions } from './deployment';
import { localStackAdminTarget } from './local-stack';

/**
 * `npm run admin -- <command>`: runs on the deployment named by --stack-outputs (through SSM on
 * its auth instance), else on the local stack in --data-dir (ALKTUNES_DATA_DIR, default .data).
 * Returns the exit code: 0 done, 1 not done (the message says why), 2 bad command line.
 */
export function adminCli(
  argv: readonly string[],
  io: AdminIo,
  env: NodeJS.ProcessEnv,
  deployment: DeploymentOptions = {},
): Promise<number> {
  return adminCommand(argv, io, async (args) => {
    if (args.sealTo) throw new AdminUsageError('--seal-to is given by npm run admin to the server it runs on, not by hand');
    if (args.target.stackOutputs) {
      if (args.target.dataDir) throw new AdminUsageError('--data-dir names a local stack; it cannot go with --stack-outputs');
      return runOnDeployment(args, io, env, deployment);
    }
    if (args.target.region) throw new AdminUsageError('--region goes with --stack-outputs (a deployment)');
    const dataDir = resolve(args.target.dataDir ?? (env.ALKTUNES_DATA_DIR || '.data'));
    const target = await localStackAdminTarget(dataDir, env.DATABASE_URL || undefined, args.request);
    const deps = await openAdminDeps(target);
    try {
      await runAdminRequest(args.request, deps, io);
    } finally {
      await deps.close();
    }
  });
}
