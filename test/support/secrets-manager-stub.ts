import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';

/**
 * A protocol stub of AWS Secrets Manager as the AWS SDK calls it (JSON 1.1: `POST /` with
 * `X-Amz-Target: secretsmanager.<Operation>`, a SigV4 `Authorization` scoped to the stub's region
 * and `secretsmanager`). It answers `GetSecretValue` and `PutSecretValue` with the service's
 * shapes: ARNs with the random six-character suffix, versions whose id is the request's
 * `ClientRequestToken` (a retried put with the same token and value is the same version, with
 * another value a `ResourceExistsException`), the `AWSCURRENT`/`AWSPREVIOUS` stages moving on
 * each put, and errors as `{"__type", "Message"}`. Anything else answers
 * `UnknownOperationException`, so a new call cannot pass unnoticed.
 */
export interface SecretsManagerStub {
  /** Give it to a client as `AWS_ENDPOINT_URL_SECRETS_MANAGER`. */
  url: string;
  /** Every request, in order, as the stub received it. */
  calls: SecretsManagerCall[];
  /** Creates a secret holding `secretString`, as CloudFormation creates an `AWS::SecretsManager::Secret`; returns its ARN. */
  createSecret(name: string, secretString: string): string;
  /** Stores a new current version of a secret, as another writer would (not recorded in `calls`). */
  replaceValue(secretId: string, secretString: string): void;
  /** The versions of a secret (by ARN or name), oldest first. */
  versions(secretId: string): SecretVersion[];
  /** The `AWSCURRENT` value of a secret (by ARN or name). */
  currentValue(secretId: string): string;
  close(): Promise<void>;
}

export interface SecretsManagerCall {
  operation: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  status: number;
}

export interface SecretVersion {
  versionId: string;
  secretString: string;
  stages: string[];
  createdDate: number;
}

interface StoredSecret {
  arn: string;
  name: string;
  versions: SecretVersion[];
}

class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const notFound = () => new ServiceError(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

export async function startSecretsManagerStub(options: { region: string; account: string }): Promise<SecretsManagerStub> {
  const secrets: StoredSecret[] = [];
  const calls: SecretsManagerCall[] = [];
  // By full ARN or by name, as the service accepts either.
  const find = (secretId: unknown) => {
    const secret = secrets.find((s) => s.arn === secretId || s.name === secretId);
    if (!secret) throw notFound();
    return secret;
  };
  const current = (secret: StoredSecret) => secret.versions.find((version) => version.stages.includes('AWSCURRENT'))!;
  const addVersion = (secret: StoredSecret, versionId: string, secretString: string) => {
    for (const version of secret.versions)
      version.stages = version.stages
        .filter((stage) => stage !== 'AWSPREVIOUS')
        .map((stage) => (stage === 'AWSCURRENT' ? 'AWSPREVIOUS' : stage));
    secret.versions.push({ versionId, secretString, stages: ['AWSCURRENT'], createdDate: Date.now() / 1000 });
  };

  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    GetSecretValue(body) {
      const secret = find(body.SecretId);
      const version = body.VersionId ? secret.versions.find((v) => v.versionId === body.VersionId) : current(secret);
      if (!version) throw notFound();
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.versionId,
        SecretString: version.secretString,
        VersionStages: version.stages,
        CreatedDate: version.createdDate,
      };
    },
    PutSecretValue(body) {
      const secret = find(body.SecretId);
      if (typeof body.SecretString !== 'string')
        throw new ServiceError(400, 'InvalidParameterException', 'You must provide either SecretString or SecretBinary.');
      const versionId = typeof body.ClientRequestToken === 'string' ? body.ClientRequestToken : randomUUID();
      const same = secret.versions.find((v) => v.versionId === versionId);
      if (same) {
        if (same.secretString !== body.SecretString)
          throw new ServiceError(400, 'ResourceExistsException', `A resource with the ID you requested already exists.`);
      } else {
        addVersion(secret, versionId, body.SecretString);
      }
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: versionId,
        VersionStages: secret.versions.find((v) => v.versionId === versionId)!.stages,
      };
    },
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await buffer(req);
      const operation = /^secretsmanager\.(\w+)$/.exec(String(req.headers['x-amz-target'] ?? ''))?.[1] ?? '';
      let status = 200;
      let answer: unknown;
      try {
        if (req.method !== 'POST' || req.url !== '/' || req.headers['content-type'] !== 'application/x-amz-json-1.1') {
          throw new ServiceError(
            400,
            'UnknownOperationException',
            `not an AWS JSON 1.1 request: ${req.method} ${req.url} ${req.headers['content-type']}`,
          );
        }
        const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
        if (!scope) throw new ServiceError(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
        if (scope[1] !== options.region || scope[2] !== 'secretsmanager') {
          throw new ServiceError(
            403,
            'InvalidSignatureException',
            `Credential should be scoped to a valid region and to secretsmanager, not ${scope[1]}/${scope[2]}.`,
          );
        }
        const handler = operations[operation];
        if (!handler) throw new ServiceError(400, 'UnknownOperationException', `The stub does not answer ${operation || 'this request'}`);
        answer = handler(JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>);
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        status = error.status;
        answer = { __type: error.type, Message: error.message };
      }
      calls.push({ operation, headers: { ...req.headers }, body, status });
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() }).end(JSON.stringify(answer));
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'InternalServiceError', Message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    createSecret(name, secretString) {
      const suffix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 6);
      const arn = `arn:aws:secretsmanager:${options.region}:${options.account}:secret:${name}-${suffix}`;
      secrets.push({
        arn,
        name,
        versions: [{ versionId: randomUUID(), secretString, stages: ['AWSCURRENT'], createdDate: Date.now() / 1000 }],
      });
      return arn;
    },
    replaceValue: (secretId, secretString) => addVersion(find(secretId), randomUUID(), secretString),
    versions: (secretId) => find(secretId).versions.map((version) => ({ ...version, stages: [...version.stages] })),
    currentValue: (secretId) => current(find(secretId)).secretString,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
