import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';

/** How a command the stub received ends, decided by the test from the script it was sent. */
export interface StubOutcome {
  exitCode: number;
  stdout: string;
  stderr?: string;
  /** `TimedOut` for a command that never ends; by default Success (exit 0) or Failed. */
  status?: 'TimedOut';
}

/** One SendCommand the stub accepted, as sent. */
export interface SentCommand {
  commandId: string;
  instanceId: string;
  documentName: string;
  comment?: string;
  commands: string[];
  executionTimeout?: string[];
  /** GetCommandInvocation calls made for it so far. */
  polls: number;
}

export interface SsmStub {
  url: string;
  sent: SentCommand[];
  close(): Promise<void>;
}

/**
 * Amazon SSM's Run Command as the SDK speaks to it (the AWS JSON 1.1 protocol: `POST /` with
 * `X-Amz-Target: AmazonSSM.<Operation>`, JSON in and out, errors as `{"__type", "message"}`
 * with status 400). `SendCommand` accepts `AWS-RunShellScript` for the one instance it knows
 * (any other is `InvalidInstanceId`, as for an instance whose agent is offline).
 * `GetCommandInvocation` answers as the real service does over time: `InvocationDoesNotExist`
 * right after the send, then `InProgress`, then the outcome `run` gives for the script,
 * with the streams cut at 24,000 characters.
 */
export async function startSsmStub(instanceId: string, run: (script: string) => StubOutcome): Promise<SsmStub> {
  const sent: SentCommand[] = [];

  const fail = (res: ServerResponse, type: string, message: string) => {
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
    res.end(JSON.stringify({ __type: type, message }));
  };
  const answer = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const target = req.headers['x-amz-target'];
    const body = JSON.parse((await text(req)) || '{}');
    if (
      req.method !== 'POST' ||
      req.headers['content-type'] !== 'application/x-amz-json-1.1' ||
      !req.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ')
    ) {
      return fail(res, 'InvalidRequest', 'expected a signed AWS JSON 1.1 POST');
    }
    if (target === 'AmazonSSM.SendCommand') {
      if (body.DocumentName !== 'AWS-RunShellScript') return fail(res, 'InvalidDocument', `unknown document ${body.DocumentName}`);
      if (JSON.stringify(body.InstanceIds) !== JSON.stringify([instanceId]))
        return fail(res, 'InvalidInstanceId', 'Instances not in a valid state for account');
      if (!Array.isArray(body.Parameters?.commands)) return fail(res, 'InvalidParameters', 'commands is required');
      const command: SentCommand = {
        commandId: randomUUID(),
        instanceId,
        documentName: body.DocumentName,
        comment: body.Comment,
        commands: body.Parameters.commands,
        executionTimeout: body.Parameters.executionTimeout,
        polls: 0,
      };
      sent.push(command);
      return answer(res, {
        Command: { CommandId: command.commandId, DocumentName: command.documentName, InstanceIds: [instanceId], Status: 'Pending' },
      });
    }
    if (target === 'AmazonSSM.GetCommandInvocation') {
      const command = sent.find((candidate) => candidate.commandId === body.CommandId && candidate.instanceId === body.InstanceId);
      if (!command) return fail(res, 'InvalidCommandId', 'no such command');
      command.polls += 1;
      if (command.polls === 1) return fail(res, 'InvocationDoesNotExist', 'The command invocation does not exist yet');
      const invocation = {
        CommandId: command.commandId,
        InstanceId: instanceId,
        DocumentName: command.documentName,
        PluginName: 'aws:runShellScript',
      };
      if (command.polls === 2) return answer(res, { ...invocation, Status: 'InProgress', StatusDetails: 'InProgress', ResponseCode: -1 });
      const outcome = run(command.commands.join('\n'));
      const status = outcome.status ?? (outcome.exitCode === 0 ? 'Success' : 'Failed');
      return answer(res, {
        ...invocation,
        Status: status,
        StatusDetails: status,
        ResponseCode: status === 'TimedOut' ? -1 : outcome.exitCode,
        StandardOutputContent: outcome.stdout.slice(0, 24_000),
        StandardErrorContent: (outcome.stderr ?? '').slice(0, 24_000),
      });
    }
    return fail(res, 'UnknownOperationException', `the stub does not answer ${String(target)}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => fail(res, 'InternalServerError', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
