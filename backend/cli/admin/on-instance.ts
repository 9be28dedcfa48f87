import {
  type GetCommandInvocationCommandOutput,
  InvalidInstanceId,
  SendCommandCommand,
  type SSMClient,
  waitForCommandExecuted,
} from '@aws-sdk/client-ssm';
import { authServerPaths } from '../../../infra/constructs/auth-server-files';
import { shellQuote } from '../../../infra/constructs/auth-server-boot';

/** Where the auth server lives on its instance; tests point it elsewhere. */
export interface InstanceLayout {
  appDir: string;
  envFile: string;
  node: string;
  user: string;
}

const deployed: InstanceLayout = {
  appDir: authServerPaths.appDir,
  envFile: authServerPaths.envFile,
  node: authServerPaths.node,
  user: authServerPaths.user,
};

/**
 * The shell script that runs `node main.mjs admin <argv>` on the auth instance as the server
 * runs (see `authServiceUnit`): in its app directory, with its env file, as its service user.
 * SSM runs scripts as root; the env file is readable by root and that user only.
 */
export function adminScript(argv: readonly string[], layout: InstanceLayout = deployed): string {
  return [
    'set -eu',
    `cd ${shellQuote(layout.appDir)}`,
    'set -a',
    `. ${shellQuote(layout.envFile)}`,
    'set +a',
    `exec setpriv --reuid=${layout.user} --regid=${layout.user} --init-groups ${shellQuote(layout.node)} main.mjs admin ${argv.map(shellQuote).join(' ')}`,
  ].join('\n');
}

/** What the command printed and how it ended. */
export interface InstanceCommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The command could not be run on the instance, or did not finish; the message says what to check. */
export class InstanceCommandError extends Error {
  override name = 'InstanceCommandError';
}

/** GetCommandInvocation returns at most this much of each stream. */
export const SSM_OUTPUT_LIMIT = 24_000;

export interface RunOnInstanceOptions {
  /** Shown in the SSM console and command history; never put a secret here. */
  comment: string;
  /** Seconds between polls at first (then up to 5). */
  pollSeconds?: number;
  /** How long to wait for the command to end. */
  timeoutSeconds?: number;
}

/**
 * Runs `script` on the instance with SSM Run Command (`AWS-RunShellScript`) and waits for it
 * to end. A command that ran and failed is a result (its exit code and output); not reaching
 * the instance or not ending in time is an `InstanceCommandError`.
 */
export async function runOnInstance(
  client: SSMClient,
  instanceId: string,
  script: string,
  options: RunOnInstanceOptions,
): Promise<InstanceCommandResult> {
  const timeoutSeconds = options.timeoutSeconds ?? 120;
  let commandId: string | undefined;
  try {
    const sent = await client.send(
      new SendCommandCommand({
        InstanceIds: [instanceId],
        DocumentName: 'AWS-RunShellScript',
        Comment: options.comment.slice(0, 100),
        TimeoutSeconds: 30,
        Parameters: { commands: [script], executionTimeout: [String(timeoutSeconds)] },
      }),
    );
    commandId = sent.Command?.CommandId;
  } catch (error) {
    if (error instanceof InvalidInstanceId) {
      throw new InstanceCommandError(
        `the auth instance ${instanceId} cannot take commands: it is not running, or its SSM agent is not connected (${error.message})`,
        { cause: error },
      );
    }
    throw error;
  }
  if (!commandId) throw new InstanceCommandError('SSM accepted the command but returned no command id');

  const minDelay = options.pollSeconds ?? 1;
  const waited = await waitForCommandExecuted(
    { client, minDelay, maxDelay: Math.max(minDelay, 5), maxWaitTime: timeoutSeconds + 30 },
    { CommandId: commandId, InstanceId: instanceId },
  );
  const invocation = waited.reason as GetCommandInvocationCommandOutput | undefined;
  if (!invocation?.Status || !['Success', 'Failed'].includes(invocation.Status)) {
    throw new InstanceCommandError(
      `the command ${commandId} on ${instanceId} did not finish (${invocation?.Status ?? waited.state}${invocation?.StatusDetails ? `: ${invocation.StatusDetails}` : ''}); ` +
        `see aws ssm get-command-invocation --command-id ${commandId} --instance-id ${instanceId}`,
    );
  }
  return {
    exitCode: invocation.ResponseCode ?? (invocation.Status === 'Success' ? 0 : 1),
    stdout: invocation.StandardOutputContent ?? '',
    stderr: invocation.StandardErrorContent ?? '',
  };
}
