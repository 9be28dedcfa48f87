/*
 * The auth server's revocation writes against its instance role. The writer the artifact
 * bundles writes, through a recording proxy into DynamoDB Local, to the table the user data names in
 * REVOCATIONS_TABLE; every call it made is then judged against the instance role's synthesized
 * policy. What differs from EC2: the endpoint (the proxy) and the credentials (IMDS's there).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDynamoClients } from '../../backend/adapters/dynamodb/client';
import { ensureTables } from '../../backend/adapters/dynamodb/create-tables';
import { createDynamoRevocations } from '../../backend/adapters/dynamodb/revocations.dynamodb';
import { ACCESS_TOKEN_TTL_SECONDS } from '../../backend/auth/access-tokens';
import { CloudAssemblyReader, logicalIdsOf, onlyLogicalIdOf } from './cloud-assembly';
import { judgeCalls } from './iam-contract';
import { instancePolicy } from './iam-policy';
import { startRecordingProxy, type RecordingProxy } from './iam-recorder';
import { rehearsalAccount, TemplateResolver, tokenKey } from './template-resolver';
import { sharedDynamoDb } from '../support/shared-dynamodb';

const assembly = new CloudAssemblyReader(inject('cloudAssemblyDir'));
const stacks = assembly.stacks();
const auth = stacks['alktunes-auth']!;
const data = stacks['alktunes-data']!;

/** The auth server's instance (the other one is the NAT instance). */
const serverId = logicalIdsOf(auth, 'AWS::EC2::Instance').find((id) => auth.Resources[id]!.Properties!.InstanceType === 't4g.small')!;
const revocationsTableId = logicalIdsOf(data, 'AWS::DynamoDB::GlobalTable').find((id) => id.startsWith('RevocationsTable'))!;
const resolver = new TemplateResolver({
  stacks,
  physicalNames: { [`alktunes-data/${revocationsTableId}`]: 'rehearsal-revocations' },
  // Grants of the role on things the resolver does not model; their values play no part here.
  tokenValues: {
    [tokenKey({ 'Fn::GetAtt': [onlyLogicalIdOf(auth, 'Custom::PrefixListLookup'), 'PrefixLists.0.PrefixListArn'] })]:
      'arn:aws:ec2:us-east-1:aws:prefix-list/pl-4fa04526',
  },
});

/** The value the user data writes into the env file for `name` (`NAME='<value>'`), resolved. */
function envFileValue(name: string): string {
  const parts = (auth.Resources[serverId]!.Properties!.UserData as { 'Fn::Base64': { 'Fn::Join': [string, unknown[]] } })['Fn::Base64'][
    'Fn::Join'
  ][1];
  const at = parts.findIndex((part) => typeof part === 'string' && part.endsWith(`\n${name}='`));
  if (at < 0) throw new Error(`the user data writes no ${name}`);
  return resolver.string('alktunes-auth', parts[at + 1]);
}

let proxy: RecordingProxy;

beforeAll(async () => {
  const { dynamodbUrl, namePrefix } = sharedDynamoDb('iam');
  const { client } = createDynamoClients({ region: rehearsalAccount.region, endpoint: dynamodbUrl });
  const unused = {
    playlists: `${namePrefix}-playlists`,
    tracks: `${namePrefix}-tracks`,
    home: `${namePrefix}-home`,
    listening: `${namePrefix}-listening`,
  };
  await ensureTables(client, { ...unused, revocations: envFileValue('REVOCATIONS_TABLE') });
  client.destroy();
  proxy = await startRecordingProxy({ dynamodb: dynamodbUrl, s3: dynamodbUrl });
});
afterAll(async () => {
  await proxy?.close();
});

describe("the auth server's instance role", () => {
  it('allows every revocation write, to the table the env file names, and nothing more on any table', async () => {
    expect(envFileValue('REVOCATIONS_TABLE')).toBe('rehearsal-revocations');
    const writer = createDynamoRevocations({
      table: envFileValue('REVOCATIONS_TABLE'),
      region: envFileValue('AWS_REGION'),
      endpoint: proxy.url,
      tokenLifetimeSeconds: ACCESS_TOKEN_TTL_SECONDS,
    });
    await writer.sessionsEnded('usr_rehearsal', ['ses_1', 'ses_2']);
    await writer.userRevoked('usr_rehearsal', 'disabled');
    await writer.userRevoked('usr_rehearsal', 'deleted');
    expect(proxy.calls).toHaveLength(5);

    const { statements } = instancePolicy(auth, 'alktunes-auth', serverId, resolver);
    const { denied, grants } = judgeCalls(statements, proxy.calls, rehearsalAccount);
    expect(denied, `calls the instance role would refuse:\n${denied.join('\n')}`).toEqual([]);
    const onTables = grants.filter((grant) => [grant.statement.Action ?? []].flat().some((action) => action.startsWith('dynamodb:')));
    expect(
      onTables.map((grant) => ({ used: grant.used, unusedActions: grant.unusedActions, unusedResources: grant.unusedResources })),
    ).toEqual([{ used: true, unusedActions: [], unusedResources: [] }]);
  });
});
