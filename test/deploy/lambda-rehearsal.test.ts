/*
 * The deploy rehearsal of the API. Each Lambda bundle of the synthesized cloud assembly runs in
 * its own process with the environment its template gives it, behind the local gateway, routed
 * as the template's HTTP API routes it, and answers the gateway contract suites against the local
 * stack. Each function reaches the emulators through its own recording proxy; the IAM contract
 * then checks every call it made against that function's synthesized policy.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDynamoClient } from '../../backend/adapters/dynamodb/low-level-client';
import { DynamoPurgeQueue, DynamoRevocations } from '../../backend/adapters/dynamodb/revocations.dynamodb';
import { tables } from '../../backend/adapters/dynamodb/tables';
import { LOCAL_S3_CREDENTIALS } from '../../backend/adapters/s3/local-credentials';
import type { PurgeSummary } from '../../backend/api/accounts/purge-accounts';
import { apiRoutes } from '../../backend/api/routes';
import type { ApiEvent, ApiHandler, ApiResult, FunctionName } from '../../backend/api/types';
import { ACCESS_TOKEN_TTL_SECONDS } from '../../backend/auth/access-tokens';
import { startLocalStack, type LocalStack } from '../../backend/local/stack';
import { ApiClient, catalogTrackIds, expectStatus, signUp } from '../support/api-client';
import { describeCatalogContract } from '../support/gateway-catalog-contract';
import { describeListeningContract } from '../support/gateway-listening-contract';
import { describePlaylistsContract } from '../support/gateway-playlists-contract';
import { CloudAssemblyReader, type CfnTemplate } from './cloud-assembly';
import { judgeCalls } from './iam-contract';
import { functionPolicy, type GrantReview } from './iam-policy';
import { startRecordingProxy, type RecordingProxy } from './iam-recorder';
import { deployedFunctions, invokedFunctions, lambdaEnvironment, type DeployedFunction } from './lambda-functions';
import { startLambdaHost, type LambdaHost } from './lambda-host';
import { rehearsalAccount, TemplateResolver } from './template-resolver';
import { sharedDynamoDb } from '../support/shared-dynamodb';

const assembly = new CloudAssemblyReader(inject('cloudAssemblyDir'));
const stacks: Record<string, CfnTemplate> = assembly.stacks();
const apiStackName = 'alktunes-api';
const api = stacks[apiStackName]!;
const functionIds = invokedFunctions(api).map((fn) => fn.logicalId);

/**
 * Actions a grant may hold though no call used them: DescribeTable and ConditionCheckItem come
 * with CDK-style read and write grants and let nothing be read or changed.
 */
const toleratedUnused = ['dynamodb:DescribeTable', 'dynamodb:ConditionCheckItem'];

/** The services whose traffic the recording proxies see; grants for others (logs, a queue the Lambda service writes to) can't be judged here. */
const observedServices = ['dynamodb:', 's3:'];

interface Running {
  fn: DeployedFunction;
  proxy: RecordingProxy;
  host: LambdaHost;
  invokedRoutes: Set<string>;
}

let dataDir: string;
let stack: LocalStack;
let resolver: TemplateResolver;
const running = new Map<string, Running>();

/** The gateway's handler for every function name: dispatches by route key, as the template routes it. */
const byTemplateRoute: ApiHandler = async (event: ApiEvent) => {
  const owner = [...running.values()].find((r) => r.fn.routeKeys.includes(event.routeKey));
  if (!owner) throw new Error(`the template routes ${event.routeKey} to no function`);
  owner.invokedRoutes.add(event.routeKey);
  return owner.host.invoke<ApiResult>(event);
};

/** The environment Lambda gives the function's process, pointed at its recording proxy. */
const proxiedEnvironment = (fn: DeployedFunction, proxy: RecordingProxy) =>
  lambdaEnvironment(fn, {
    AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: proxy.url,
    AWS_ENDPOINT_URL_S3: proxy.url,
  });

function scheduledEvent(fn: DeployedFunction) {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: rehearsalAccount.account,
    time: new Date().toISOString(),
    region: rehearsalAccount.region,
    resources: [`arn:aws:events:${rehearsalAccount.region}:${rehearsalAccount.account}:rule/${fn.logicalId}-schedule`],
    detail: {},
  };
}

/**
 * CloudFormation names the tables and the bucket; in the rehearsal the local stack's stand-ins
 * take their place, found through the data stack outputs the admin commands read.
 */
function localPhysicalNames(local: LocalStack): Record<string, string> {
  const outputs: Record<string, string> = { MediaBucket: local.bucket };
  for (const table of tables) outputs[`${table.id.charAt(0).toUpperCase()}${table.id.slice(1)}Table`] = local.tables[table.id];
  return Object.fromEntries(
    Object.entries(outputs).map(([output, name]) => {
      const logicalId = (stacks['alktunes-data']!.Outputs?.[output]?.Value as { Ref?: string } | undefined)?.Ref;
      if (!logicalId) throw new Error(`the data stack has no output ${output} naming a resource`);
      return [`alktunes-data/${logicalId}`, name];
    }),
  );
}

const scheduled = () => [...running.values()].filter((r) => r.fn.schedules.length > 0);
/** The scheduled function `name` (`shuffle`, `purge`). */
const scheduledFunction = (name: string) => {
  const found = scheduled().find((r) => r.fn.name === name);
  if (!found) throw new Error(`no rule of the template invokes a ${name} function`);
  return found;
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'alktunes-lambda-rehearsal-'));
  const functions = Object.fromEntries(apiRoutes.map((r) => [r.function, byTemplateRoute])) as Record<FunctionName, ApiHandler>;
  stack = await startLocalStack({ dataDir, ports: { auth: 0, api: 0, s3: 0, dynamodb: 0 }, functions, ...sharedDynamoDb('rehearsal') });

  resolver = new TemplateResolver({ stacks, physicalNames: localPhysicalNames(stack) });
  // One at a time, so each init time is a cold start on an otherwise idle machine.
  for (const fn of deployedFunctions(assembly, resolver, apiStackName)) {
    const proxy = await startRecordingProxy({ dynamodb: stack.dynamodb, s3: stack.s3 });
    const env = proxiedEnvironment(fn, proxy);
    const host = await startLambdaHost({
      name: fn.logicalId,
      taskRoot: fn.taskRoot,
      handler: fn.handler,
      env,
      timeoutSeconds: fn.timeoutSeconds,
    }).catch(async (error: unknown) => {
      await proxy.close();
      throw error;
    });
    running.set(fn.logicalId, { fn, proxy, host, invokedRoutes: new Set() });
  }
});

afterAll(async () => {
  await Promise.all([...running.values()].map(async ({ host, proxy }) => (await host.stop(), await proxy.close())));
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('Lambda bundles of the cloud assembly', () => {
  it('start with the environment their template gives them, each invoked by a route or a schedule', () => {
    const rows = [...running.values()].map(({ fn, host }) => ({
      function: fn.logicalId,
      initMs: Math.round(host.initMs),
      nodeOptions: fn.environment.NODE_OPTIONS ?? '',
      invokedBy: fn.schedules.length ? fn.schedules.join(', ') : `${fn.routeKeys.length} routes`,
    }));
    console.info('Lambda bundles, imported one at a time (init = import of the bundle, top-level code included):');
    console.table(rows);
    // Every API function of the route table, the shuffle and the account purge.
    expect(running.size).toBe(new Set(apiRoutes.map((route) => route.function)).size + 2);
  });

  it('route exactly the API routes of the source route table', () => {
    const templateRoutes = [...running.values()].flatMap((r) => r.fn.routeKeys).sort();
    expect(templateRoutes).toEqual(apiRoutes.map((r) => r.routeKey).sort());
  });

  it('publish a fresh home feed when the schedule fires the shuffle', async () => {
    expect(
      scheduled()
        .map((r) => r.fn.name)
        .sort(),
    ).toEqual(['purge', 'shuffle']);
    const shuffle = scheduledFunction('shuffle');
    const result = await shuffle!.host.invoke<{ trackCount: number; generatedAt: string }>(scheduledEvent(shuffle!.fn));
    expect(result.trackCount).toBe(32);
    const listener = new ApiClient(stack.api, (await signUp(stack.auth, 'early-bird')).accessToken);
    const home = await listener.get<{ generatedAt: string }>('/home');
    expect(home.body.generatedAt).toBe(result.generatedAt);
  });

  it("erase deleted accounts' playlists, listening and home feeds when the schedule fires the purge, clearing the requests that have settled", async () => {
    const purge = scheduledFunction('purge');
    expect(purge.fn.schedules).toEqual(['rate(10 minutes)']);
    const trackIds = await catalogTrackIds(new ApiClient(stack.api, (await signUp(stack.auth, 'purge-catalog')).accessToken));
    const withPlaylist = async (label: string) => {
      const account = await signUp(stack.auth, label);
      const listener = new ApiClient(stack.api, account.accessToken);
      const playlist = expectStatus(await listener.post<{ id: string }>('/playlists', { name: label }), 201, 'create playlist');
      expectStatus(await listener.post(`/playlists/${playlist.id}/entries`, { trackIds: trackIds.slice(0, 3) }), 201, 'add entries');
      // A play (its item and its count), a like, and the mark they leave for the home feed.
      const play = { id: crypto.randomUUID(), trackId: trackIds[0], startedAt: new Date().toISOString(), msPlayed: 1000 };
      expectStatus(await listener.post('/me/plays', { plays: [play] }), 202, 'record a play');
      expectStatus(await listener.request('PUT', `/me/likes/${trackIds[1]}`), 204, 'like a track');
      return { ...account, playlistId: playlist.id };
    };
    // Deleted just now, through the auth server: its tokens may live a while, so its request stays.
    const justNow = await withPlaylist('deleted-now');
    expect(
      (await new ApiClient(stack.auth, justNow.accessToken).request('DELETE', '/auth/me', { password: justNow.password })).status,
    ).toBe(204);
    // Deleted longer ago than a token lives (written with the clock set back): its request settles.
    const longAgo = await withPlaylist('deleted-long-ago');
    const client = createDynamoClient({ region: stack.region, endpoint: stack.dynamodb });
    await new DynamoRevocations(client, stack.tables.revocations, {
      tokenLifetimeSeconds: ACCESS_TOKEN_TTL_SECONDS,
      now: () => Date.now() - 2 * ACCESS_TOKEN_TTL_SECONDS * 1000,
    }).userRevoked(longAgo.userId, 'deleted');
    // Their plays and likes give each their own home feed.
    const shuffle = scheduledFunction('shuffle');
    await shuffle.host.invoke(scheduledEvent(shuffle.fn));

    const summary = await purge.host.invoke<PurgeSummary>(scheduledEvent(purge.fn));
    expect(summary).toMatchObject({
      accounts: 2,
      completed: 1,
      erased: { playlists: 2 * (1 + 3), listening: 2 * 3, 'home feed': 2 },
    });
    const left = await Promise.all(
      [stack.tables.playlists, stack.tables.listening, stack.tables.home].map((table) =>
        client.send(new ScanCommand({ TableName: table })),
      ),
    );
    const leftText = JSON.stringify(left.map((scan) => scan.Items));
    for (const deleted of [justNow, longAgo]) {
      expect(leftText).not.toContain(deleted.userId);
      expect(leftText).not.toContain(deleted.playlistId);
    }
    // What every listener shares stays.
    expect(left[2]!.Items?.map((item) => item.pk?.S)).toContain('feed');
    const requests = await new DynamoPurgeQueue(client, stack.tables.revocations).pending();
    expect(requests.map((request) => request.userId)).toEqual([justNow.userId]);
    client.destroy();
  });
});

describeCatalogContract(() => stack);
describePlaylistsContract(() => stack);
describeListeningContract(() => stack);

describe('IAM contract: every AWS call a function made is allowed by its synthesized policy', () => {
  const policyOf = (logicalId: string) => functionPolicy(api, apiStackName, logicalId, resolver).statements;

  it('ran every route through the bundles', () => {
    const invoked = [...running.values()].flatMap((r) => [...r.invokedRoutes]).sort();
    expect(invoked).toEqual(apiRoutes.map((r) => r.routeKey).sort());
  });

  it.each(functionIds)('%s: its policy allows every call it made', (logicalId) => {
    const { proxy } = running.get(logicalId)!;
    expect(proxy.calls.length, 'the rehearsal made it call AWS at least once').toBeGreaterThan(0);
    const { denied } = judgeCalls(policyOf(logicalId), proxy.calls, rehearsalAccount);
    expect(denied, `calls its deployed policy would refuse:\n${denied.join('\n')}`).toEqual([]);
  });

  it.each(functionIds)('%s: each statement of its policy is needed by a call it made', (logicalId) => {
    const { proxy } = running.get(logicalId)!;
    const { grants } = judgeCalls(policyOf(logicalId), proxy.calls, rehearsalAccount);
    const judged = grants.filter((g) => [g.statement.Action ?? '*'].flat().every((a) => observedServices.some((s) => a.startsWith(s))));
    const excess = judged.flatMap(describeExcess);
    if (excess.length) console.info(`${logicalId} is granted, but never used:\n  ${excess.join('\n  ')}`);
    const unusedStatements = judged.filter((g) => !g.used).map((g) => JSON.stringify(g.statement));
    expect(unusedStatements, 'statements no call of this function needed').toEqual([]);
  });
});

/** The parts of one grant no call used, ARNs shortened to what follows the account. */
function describeExcess(grant: GrantReview): string[] {
  const short = (arn: string) => arn.replace(/^arn:aws:[a-z0-9-]+:[a-z0-9-]*:\d*:/, '');
  const actions = grant.unusedActions.filter((a) => !toleratedUnused.includes(a));
  const resources = [grant.statement.Resource ?? '*'].flat().map(short).join(', ');
  return [
    ...(actions.length ? [`${actions.join(', ')} on ${resources}`] : []),
    ...grant.unusedResources.map((r) => `any of ${[grant.statement.Action ?? '*'].flat().join(', ')} on ${short(r)}`),
  ];
}
