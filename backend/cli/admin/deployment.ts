import { resolve } from 'node:path';
import { SSMClient } from '@aws-sdk/client-ssm';
import { type AdminArgs, adminRequestArgv, AdminUsageError } from '../../auth/admin/args';
import type { AdminIo } from '../../auth/admin/command';
import { newSealingKeys } from '../../auth/admin/sealed-secrets';
import { AdminCommandError } from '../../auth/commands/admin';
import { readStackOutputs, rethrowAs, stackOutput } from '../stack-outputs';
import { adminScript, InstanceCommandError, runOnInstance, SSM_OUTPUT_LIMIT } from './on-instance';

export interface DeploymentOptions {
  /** Builds the SSM client for a region; tests point it at a stub. */
  ssmClient?: (region: string) => SSMClient;
  /** Seconds between polls of the command's status. */
  pollSeconds?: number;
}

/**
 * Runs the request on the deployment's auth instance (the `AuthInstanceId` output) with the
 * deployed server's own admin command, through SSM Run Command, and prints what it printed.
 * Secrets come back sealed to a key pair made for this run and are opened here.
 */
export async function runOnDeployment(
  args: AdminArgs,
  io: AdminIo,
  env: NodeJS.ProcessEnv,
  options: DeploymentOptions = {},
): Promise<number> {
  const { request, target } = args;
  if (request.command === 'create-user' && request.passwordFromStdin) {
    // A password sent along would be kept, in the clear, in the deployment's SSM command history.
    throw new AdminUsageError(
      'on a deployment, create-user prints a generated password instead of taking one (use invite --email to let the user choose)',
    );
  }
  const outputs = await readStackOutputs(resolve(target.stackOutputs!)).catch(rethrowAs(AdminUsageError));
  const output = (name: string) => {
    try {
      return stackOutput(outputs, name);
    } catch (error) {
      return rethrowAs(AdminUsageError)(error);
    }
  };
  const instanceId = output('AuthInstanceId');
  if (!instanceId)
    throw new AdminUsageError(
      `${target.stackOutputs} names no AuthInstanceId: pass the file written by \`cdk deploy --all --outputs-file <file>\``,
    );
  const region = output('Region') ?? target.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION);
  if (!region) throw new AdminUsageError('no AWS region: pass --region or set AWS_REGION');

  const keys = newSealingKeys();
  const script = adminScript([...adminRequestArgv(request), '--seal-to', keys.publicKey]);
  const client = options.ssmClient?.(region) ?? new SSMClient({ region });
  io.err(`running on the auth instance ${instanceId} (${region}) through SSM Run Command…\n`);
  try {
    const result = await runOnInstance(client, instanceId, script, {
      comment: `alktunes admin ${request.command}`,
      pollSeconds: options.pollSeconds,
    }).catch((error: unknown) => {
      throw error instanceof InstanceCommandError ? new AdminCommandError(error.message, { cause: error }) : error;
    });
    if (result.stdout) io.out(keys.open(result.stdout));
    if (result.stderr) io.err(result.stderr);
    if (result.stdout.length >= SSM_OUTPUT_LIMIT)
      io.err(`(SSM returns only the first ${SSM_OUTPUT_LIMIT} characters: ask for fewer users with --limit)\n`);
    return result.exitCode;
  } finally {
    client.destroy();
  }
}
