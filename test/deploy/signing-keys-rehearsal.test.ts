/*
 * The signing keys a deployment makes. The key-generation function's bundle from the cloud
 * assembly runs as Lambda runs it, with the environment its template gives it, against a Secrets
 * Manager protocol stub holding the keys secret as the template creates it; invoked as the
 * deployment's trigger invokes it (no payload). The keys it stores must be what the auth server
 * loads, it must keep whatever keys the secret holds, and each call it makes must be allowed by
 * its synthesized policy.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadOrCreateKeys, openKeyStore, storedKeysIn } from '../../backend/auth/signing-keys';
import { startSecretsManagerStub, type SecretsManagerStub } from '../support/secrets-manager-stub';
import { CloudAssemblyReader, type CfnTemplate } from './cloud-assembly';
import type { RecordedCall } from './iam-actions';
import { judgeCalls } from './iam-contract';
import { functionPolicy } from './iam-policy';
import { deployedFunction, lambdaEnvironment, type DeployedFunction } from './lambda-functions';
import { startLambdaHost, type LambdaHost } from './lambda-host';
import { rehearsalAccount, TemplateResolver, tokenKey } from './template-resolver';

const authStackName = 'alktunes-auth';
const assembly = new CloudAssemblyReader(inject('cloudAssemblyDir'));
const stacks = assembly.stacks();
const auth = stacks[authStackName]!;
const stackId = `arn:aws:cloudformation:${rehearsalAccount.region}:${rehearsalAccount.account}:stack/${authStackName}/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d`;

/** The keys secret and the function the deployment's trigger runs, by logical id. */
function generatorOf(template: CfnTemplate): { secretId: string; functionId: string } {
  const resources = Object.entries(template.Resources);
  const [secretId] = resources
    .filter(([, r]) => r.Type === 'AWS::SecretsManager::Secret' && JSON.stringify(r.Properties?.Name).includes('/auth/signing-keys-'))
    .map(([id]) => id);
  const functionIds = resources
    .filter(([, r]) => r.Type === 'Custom::Trigger')
    .map(([, trigger]) => (trigger.Properties!.HandlerArn as { Ref: string }).Ref)
    .map((versionId) => (template.Resources[versionId]!.Properties!.FunctionName as { Ref: string }).Ref)
    .filter((id) => JSON.stringify(template.Resources[id]!.Properties?.Environment).includes(`{"Ref":"${secretId}"}`));
  if (!secretId || functionIds.length !== 1)
    throw new Error(`expected the keys secret and one trigger function for it, found ${secretId} and ${functionIds.join(', ')}`);
  return { secretId, functionId: functionIds[0]! };
}

/** The secret's first value, as CloudFormation generates it from `GenerateSecretString`. */
function generatedSecretString(secret: CfnTemplate['Resources'][string]): string {
  const generate = secret.Properties!.GenerateSecretString as { SecretStringTemplate: string; GenerateStringKey: string };
  return JSON.stringify({
    ...JSON.parse(generate.SecretStringTemplate),
    [generate.GenerateStringKey]: randomBytes(24).toString('base64url').slice(0, 32),
  });
}

describe('the signing keys made during a deployment', () => {
  const { secretId, functionId } = generatorOf(auth);
  let stub: SecretsManagerStub;
  let secretArn: string;
  let resolver: TemplateResolver;
  let fn: DeployedFunction;
  let host: LambdaHost;
  let scratch: string;
  /** Every call the stub received: all the function's, since the tests set the secret without a request. */
  const calls = () => stub.calls.map((call): RecordedCall => ({ service: 'secretsmanager', method: 'POST', url: '/', ...call }));

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'alktunes-keys-rehearsal-'));
    stub = await startSecretsManagerStub(rehearsalAccount);
    const named = new TemplateResolver({ stacks, tokenValues: { [tokenKey({ Ref: 'AWS::StackId' })]: stackId } });
    secretArn = stub.createSecret(
      named.string(authStackName, auth.Resources[secretId]!.Properties!.Name),
      generatedSecretString(auth.Resources[secretId]!),
    );
    resolver = new TemplateResolver({ stacks, tokenValues: { [tokenKey({ Ref: secretId })]: secretArn } });
    fn = deployedFunction(assembly, resolver, authStackName, { logicalId: functionId, routeKeys: [], schedules: [] });
    host = await startLambdaHost({
      name: functionId,
      taskRoot: fn.taskRoot,
      handler: fn.handler,
      env: lambdaEnvironment(fn, { AWS_ENDPOINT_URL_SECRETS_MANAGER: stub.url }),
      timeoutSeconds: fn.timeoutSeconds,
    });
  });
  afterAll(async () => {
    await host?.stop();
    await stub?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('fills the empty keys secret with a keys file the auth server signs and publishes with, and reports only key ids', async () => {
    expect(fn.environment).toEqual({
      SIGNING_KEYS_SECRET_ARN: secretArn,
      POWERTOOLS_SERVICE_NAME: 'create-signing-keys',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
    const result = await host.invoke<{ created: boolean; kids: string[] }>({});
    const keys = storedKeysIn(stub.currentValue(secretArn), 'the keys secret');
    expect(result).toEqual({ created: true, kids: keys.map((key) => key.kid) });
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ alg: 'RS256', privateJwk: { kty: 'RSA' } });

    // What the instance restores to AUTH_KEYS_FILE, byte for byte (see restore_signing_keys).
    const file = join(scratch, 'signing-keys.json');
    await writeFile(file, stub.currentValue(secretArn), { mode: 0o600 });
    const store = await openKeyStore(file);
    const { kid, alg, key } = await store.signingKey();
    expect(kid).toBe(result.kids[0]);
    const token = await new SignJWT({}).setProtectedHeader({ alg, kid }).setSubject('user-1').setIssuer('https://auth.example').sign(key);
    const verified = await jwtVerify(token, createLocalJWKSet({ keys: await store.publicJwks() }), { issuer: 'https://auth.example' });
    expect(verified.payload.sub).toBe('user-1');
  });

  it('keeps the keys on every later deployment: reads the secret and writes nothing', async () => {
    const before = stub.versions(secretArn);
    const made = stub.calls.length;
    const result = await host.invoke<{ created: boolean; kids: string[] }>({});
    expect(result).toEqual({ created: false, kids: storedKeysIn(before.at(-1)!.secretString, 'the keys secret').map((key) => key.kid) });
    expect(stub.versions(secretArn)).toEqual(before);
    expect(stub.calls.slice(made).map((call) => call.operation)).toEqual(['GetSecretValue']);
  });

  it('keeps the keys an earlier instance stored in the secret', async () => {
    const earlier = join(scratch, 'earlier.json');
    const [stored] = await loadOrCreateKeys(earlier);
    stub.replaceValue(secretArn, await readFile(earlier, 'utf8'));
    const before = stub.versions(secretArn);
    expect(await host.invoke({})).toEqual({ created: false, kids: [stored!.kid] });
    expect(stub.versions(secretArn)).toEqual(before);
  });

  it('fails the deployment rather than overwrite a value that is not a keys file', async () => {
    stub.replaceValue(secretArn, 'not a keys file');
    await expect(host.invoke({})).rejects.toThrow(/Keys file secret .* is not JSON/);
    expect(stub.currentValue(secretArn)).toBe('not a keys file');
  });

  it('makes only calls its synthesized policy allows, and needs each statement of it', () => {
    const { statements } = functionPolicy(auth, authStackName, functionId, resolver);
    const { denied, grants } = judgeCalls(statements, calls(), rehearsalAccount);
    expect(denied).toEqual([]);
    expect(grants.map((grant) => ({ used: grant.used, unusedActions: grant.unusedActions }))).toEqual([{ used: true, unusedActions: [] }]);
  });
});
