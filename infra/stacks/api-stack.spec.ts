import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../backend/api/routes';
import { SEARCH_INDEX_PREFIX } from '../../backend/adapters/search/embedded/snapshot-store.s3';
import { nagFindings, synthApp } from '../testing/synth';

type Statement = { Action: string | string[]; Resource: unknown };
type Name = 'playlists' | 'playlistImport' | 'catalog' | 'home' | 'search' | 'listening' | 'shuffle' | 'purge';

describe('ApiStack', () => {
  let stacks: ReturnType<typeof synthApp>;
  let template: Template;
  beforeAll(() => {
    stacks = synthApp();
    template = Template.fromStack(stacks.api);
  });

  const logicalIdOf = (name: Name) => stacks.api.getLogicalId(stacks.api.functions[name].fn.node.defaultChild as never);

  /** Allowed actions per table/bucket for one function's role, resolved from its policy. */
  const grantsOf = (name: Name, on: { stacks: ReturnType<typeof synthApp>; template: Template } = { stacks, template }) => {
    const role = on.stacks.api.functions[name].fn.role!;
    const roleId = on.stacks.api.getLogicalId(role.node.defaultChild as never);
    const policies = on.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    const actionsOn = (needle: string) =>
      statements.filter((s) => JSON.stringify(s.Resource).includes(needle)).flatMap((s) => [s.Action].flat());
    return { statements, actionsOn };
  };

  /** Key patterns of the media bucket a function's policy names, e.g. `covers/*`. */
  const mediaResources = ({ statements }: ReturnType<typeof grantsOf>) =>
    statements
      .flatMap((s) => [s.Resource].flat())
      .map((resource) => JSON.stringify(resource))
      .filter((resource) => resource.includes('media-bucket'))
      .map((resource) => /\/([^/"]+\/\*)"/.exec(resource)?.[1] ?? resource)
      .sort();

  it('runs every function on Node.js 24, arm64, with the memory and timeout its work needs, without --enable-source-maps', () => {
    // The backend functions (`index.handler`), not the deploy-time trigger provider beside them.
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Runtime: 'nodejs24.x', Handler: 'index.handler' },
    });
    expect(Object.keys(functions)).toHaveLength(8);
    // Search: a cold index load (4.8 s at 100,000 tracks on a full core). Shuffle: the whole catalog,
    // then the changed listeners until the time runs short.
    const expected: Record<Name, { MemorySize: number; Timeout: number }> = {
      playlists: { MemorySize: 512, Timeout: 10 },
      catalog: { MemorySize: 512, Timeout: 10 },
      home: { MemorySize: 512, Timeout: 10 },
      search: { MemorySize: 1536, Timeout: 30 },
      // The embedded index in memory too, and a cold load on its first import.
      playlistImport: { MemorySize: 1536, Timeout: 30 },
      listening: { MemorySize: 512, Timeout: 10 },
      shuffle: { MemorySize: 1024, Timeout: 840 },
      purge: { MemorySize: 512, Timeout: 300 },
    };
    for (const [name, sizing] of Object.entries(expected) as [Name, (typeof expected)[Name]][]) {
      const fn = functions[logicalIdOf(name)]!;
      expect(fn.Properties).toMatchObject({ Architectures: ['arm64'], ...sizing });
      expect(fn.Properties.Environment.Variables).toMatchObject({
        PLAYLISTS_TABLE: expect.anything(),
        TRACKS_TABLE: expect.anything(),
        HOME_TABLE: expect.anything(),
        REVOCATIONS_TABLE: expect.anything(),
        LISTENING_TABLE: expect.anything(),
        MEDIA_BUCKET: expect.anything(),
        STREAM_URL_TTL_SECONDS: '900',
      });
      // It would parse the source map at every cold start; the entries map stack traces on demand.
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS ?? '').not.toContain('--enable-source-maps');
    }
    // API Gateway stops waiting for an integration after 30 s: longer would only bill for nothing.
    const routed = new Set(apiRoutes.map((route) => route.function));
    for (const name of routed) expect(functions[logicalIdOf(name)]!.Properties.Timeout).toBeLessThanOrEqual(30);
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 9);
  });

  it.each(apiRoutes)('routes $routeKey to the $function function behind the JWT authorizer', (route) => {
    const authorizers = template.findResources('AWS::ApiGatewayV2::Authorizer');
    const [authorizerId] = Object.keys(authorizers);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: route.routeKey,
      AuthorizationType: 'JWT',
      AuthorizerId: { Ref: authorizerId },
      Target: Match.anyValue(),
    });
    const routes = template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: route.routeKey } });
    const integrationId = (Object.values(routes)[0]!.Properties.Target['Fn::Join'][1] as { Ref?: string }[]).find((p) => p.Ref)!.Ref!;
    const integration = template.toJSON().Resources[integrationId];
    expect(JSON.stringify(integration.Properties.IntegrationUri)).toContain(logicalIdOf(route.function));
  });

  it('creates no route that is not in apiRoutes', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', apiRoutes.length);
  });

  it('trusts tokens of the auth server for the alktunes-api audience', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: ['alktunes-api'], Issuer: Match.anyValue() },
    });
  });

  it('throttles and logs the default stage, and answers CORS preflights', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        ExposeHeaders: ['idempotent-replayed'],
      }),
    });
    template.hasOutput('ApiUrl', { Value: Match.anyValue() });
  });

  it('reshuffles the home feed every 3 hours', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(3 hours)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalIdOf('shuffle'), 'Arn'] } })],
    });
  });

  it('publishes the home feed during the deployment, after the shuffle function and its grants exist', () => {
    const triggers = Object.values(template.findResources('Custom::Trigger'));
    expect(triggers).toHaveLength(1);
    const [trigger] = triggers;
    expect(trigger!.Properties).toMatchObject({ InvocationType: 'RequestResponse', ExecuteOnHandlerChange: true });
    // Bound to the function's current version: a changed shuffle runs again on the next deploy.
    const versionId = trigger!.Properties.HandlerArn.Ref as string;
    expect(template.toJSON().Resources[versionId]).toMatchObject({
      Type: 'AWS::Lambda::Version',
      Properties: { FunctionName: { Ref: logicalIdOf('shuffle') } },
    });
    expect(trigger!.DependsOn).toEqual(expect.arrayContaining([logicalIdOf('shuffle')]));
    const shuffleFn = template.toJSON().Resources[logicalIdOf('shuffle')];
    expect(shuffleFn.DependsOn.some((id: string) => id.includes('DefaultPolicy'))).toBe(true);
  });

  it('sends failed shuffles to an encrypted, TLS-only dead-letter queue that raises an alarm', () => {
    const queues = Object.keys(template.findResources('AWS::SQS::Queue', { Properties: { SqsManagedSseEnabled: true } }));
    expect(queues).toHaveLength(1);
    const queueId = queues[0]!;
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalIdOf('shuffle') },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } } })],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
      AlarmActions: [alarmTopic()],
    });
    expect(grantsOf('shuffle').actionsOn(queueId)).toEqual(expect.arrayContaining(['sqs:SendMessage']));
  });

  /** The data stack's alarm topic as the API stack imports it. */
  const alarmTopic = () => ({ 'Fn::ImportValue': Match.stringLikeRegexp(`^alktunes-data:ExportsOutputRef.*AlarmsTopic`) });

  it('alarms on every function error, on throttling and on API 5xx, in alarm and back to OK', () => {
    for (const name of ['playlists', 'playlistImport', 'catalog', 'home', 'search', 'listening', 'shuffle', 'purge'] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(name) } }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [alarmTopic()],
        OKActions: [alarmTopic()],
      });
    }
    const throttles = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { Metrics: Match.anyValue() } }));
    expect(throttles).toHaveLength(1);
    const metrics = throttles[0]!.Properties.Metrics as { Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[];
    expect(metrics.filter((m) => m.MetricStat?.Metric.MetricName === 'Throttles')).toHaveLength(8);
    expect(metrics.find((m) => m.Expression)?.Expression).toMatch(/^throttles_\w+( \+ throttles_\w+){7}$/);

    const [apiId] = Object.keys(template.findResources('AWS::ApiGatewayV2::Api'));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: Match.arrayWith([
        { Name: 'ApiId', Value: { Ref: apiId } },
        { Name: 'Stage', Value: '$default' },
      ]),
      AlarmActions: [alarmTopic()],
    });
    // Eight function errors, throttles, 5xx, the shuffle dead-letter queue, the purge schedule's
    // failed invocations; every one notifies the topic.
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(12);
    for (const alarm of alarms)
      expect(alarm.Properties).toMatchObject({ AlarmActions: [expect.anything()], OKActions: [expect.anything()] });
  });

  it('names the shuffle function and the API in its outputs', () => {
    template.hasOutput('ShuffleFunctionName', { Value: { Ref: logicalIdOf('shuffle') } });
    template.hasOutput('ApiUrl', { Value: Match.anyValue() });
  });

  it('grants each function only what its handler needs', () => {
    const playlists = grantsOf('playlists');
    expect(playlists.actionsOn('PlaylistsTable')).toContain('dynamodb:PutItem');
    expect(playlists.actionsOn('TracksTable')).not.toContain('dynamodb:PutItem');
    expect(playlists.actionsOn('HomeTable')).toEqual([]);
    // Entries carry presigned cover URLs; audio is signed by the catalog function only.
    expect(playlists.actionsOn('media-bucket')).toEqual(['s3:GetObject']);
    expect(mediaResources(playlists)).toEqual(['covers/*']);

    const catalog = grantsOf('catalog');
    expect(catalog.actionsOn('PlaylistsTable')).toEqual([]);
    expect(catalog.actionsOn('HomeTable')).toEqual([]);
    expect(catalog.actionsOn('TracksTable')).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(catalog.actionsOn('TracksTable').filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
    expect(catalog.actionsOn('media-bucket')).toEqual(['s3:GetObject']);
    expect(mediaResources(catalog)).toEqual(['audio/*', 'covers/*']);

    const home = grantsOf('home');
    expect(home.actionsOn('HomeTable').filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
    expect(home.actionsOn('PlaylistsTable')).toEqual([]);
    expect(mediaResources(home)).toEqual(['covers/*']);

    const listening = grantsOf('listening');
    expect(listening.actionsOn('ListeningTable')).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']));
    // History and likes are read newest first through the byTime index.
    expect(listening.actionsOn('/index/byTime')).toContain('dynamodb:Query');
    expect(listening.actionsOn('TracksTable').filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
    expect(listening.actionsOn('PlaylistsTable')).toEqual([]);
    expect(listening.actionsOn('HomeTable')).toEqual([]);
    expect(mediaResources(listening)).toEqual(['covers/*']);
    expect(playlists.actionsOn('ListeningTable')).toEqual([]);
    expect(catalog.actionsOn('ListeningTable')).toEqual([]);

    const shuffle = grantsOf('shuffle');
    // A new feed is built against the current one: it reads the home table before writing it.
    expect(shuffle.actionsOn('HomeTable')).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem']));
    expect(shuffle.actionsOn('TracksTable').filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
    expect(shuffle.actionsOn('PlaylistsTable')).toEqual([]);
    expect(shuffle.actionsOn('media-bucket')).toEqual([]);
    // Lists plays, likes, counts, day counters and markers (the byTime index for the recent
    // plays); deletes the `changed` marker of each listener whose feed it writes, in one
    // transaction with the feed. Nothing else: no puts, no scans.
    const onListening = shuffle.statements.filter((s) => JSON.stringify(s.Resource).includes('ListeningTable'));
    expect(onListening).toHaveLength(1);
    expect(onListening[0]!.Action).toEqual(['dynamodb:DeleteItem', 'dynamodb:Query']);
    expect(shuffle.actionsOn('/index/byTime')).toEqual(['dynamodb:DeleteItem', 'dynamodb:Query']);
    // "Recently played" is read live; the home function writes nothing there.
    expect(home.actionsOn('ListeningTable')).toEqual(expect.arrayContaining(['dynamodb:Query']));
    expect(home.actionsOn('/index/byTime')).toContain('dynamodb:Query');
    expect(home.actionsOn('ListeningTable').filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);

    for (const name of ['playlists', 'playlistImport', 'catalog', 'home', 'search', 'listening', 'shuffle', 'purge'] as const) {
      const actions = grantsOf(name).statements.flatMap((s) => [s.Action].flat());
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    }
  });

  it('lets the embedded search function read only the index snapshots, covers and the weekly plays, and write nothing', () => {
    const search = grantsOf('search');
    const actions = new Set(search.statements.flatMap((s) => [s.Action].flat()));
    expect([...actions].sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 's3:GetObject']);
    expect(mediaResources(search).sort()).toEqual(['covers/*', `${SEARCH_INDEX_PREFIX}*`].sort());
    expect(search.actionsOn('PlaylistsTable')).toEqual([]);
    expect(search.actionsOn('TracksTable')).toEqual([]);
    // Of the home table, the one item the schedule publishes the weekly plays in.
    expect(search.statements.filter((s) => JSON.stringify(s.Resource).includes('HomeTable'))).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:GetItem',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['popular'] } },
      }),
    ]);
    const fn = template.toJSON().Resources[logicalIdOf('search')];
    expect(fn.Properties.Environment.Variables).toMatchObject({ SEARCH_BACKEND: 'embedded' });
  });

  it('synthesizes with searchBackend=cloudsearch: finds the one domain by name, search/suggest on it, still no table writes', () => {
    const cloud = synthApp({ searchBackend: 'cloudsearch' });
    const cloudTemplate = Template.fromStack(cloud.api);
    const search = grantsOf('search', { stacks: cloud, template: cloudTemplate });
    const actions = search.statements.flatMap((s) => [s.Action].flat());
    expect(actions.sort()).toEqual([
      'cloudsearch:DescribeDomains',
      'cloudsearch:search',
      'cloudsearch:suggest',
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      's3:GetObject',
    ]);
    // DescribeDomains on the domain's ARN: its IAM resource type is the domain, not `*`.
    expect(search.actionsOn(':domain/alktunes-search')).toEqual([
      'cloudsearch:DescribeDomains',
      'cloudsearch:search',
      'cloudsearch:suggest',
    ]);
    expect(cloud.search.domain?.domainName).toBe('alktunes-search');
    expect(search.actionsOn('PlaylistsTable')).toEqual([]);
    expect(search.actionsOn(SEARCH_INDEX_PREFIX)).toEqual([]);
    const fnId = cloud.api.getLogicalId(cloud.api.functions.search.fn.node.defaultChild as never);
    expect(cloudTemplate.toJSON().Resources[fnId].Properties.Environment.Variables).toMatchObject({
      SEARCH_BACKEND: 'cloudsearch',
      CLOUDSEARCH_DOMAIN: 'alktunes-search',
    });
    expect(cloudTemplate.toJSON().Resources[fnId].Properties.Environment.Variables.CLOUDSEARCH_ENDPOINT).toBeUndefined();
    expect(cloud.api.dependencies).toContain(cloud.search);
    expect(nagFindings(cloud.api)).toEqual([]);

    // The playlist import queries the same domain, and only searches it.
    const importer = grantsOf('playlistImport', { stacks: cloud, template: cloudTemplate });
    expect(importer.actionsOn(':domain/alktunes-search')).toEqual(['cloudsearch:DescribeDomains', 'cloudsearch:search']);
    expect(importer.actionsOn('media-bucket')).toEqual([]);
  });

  it('lets the playlist import write playlists, read tracks and the index snapshots, and nothing else', () => {
    const importer = grantsOf('playlistImport');
    expect(importer.actionsOn('PlaylistsTable')).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']));
    expect(importer.actionsOn('TracksTable')).toContain('dynamodb:BatchGetItem');
    expect(importer.actionsOn('TracksTable').filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
    expect(importer.actionsOn('HomeTable')).toEqual([]);
    expect(importer.actionsOn('ListeningTable')).toEqual([]);
    // No covers to presign: the answer holds the playlist, not its tracks.
    expect(mediaResources(importer)).toEqual([`${SEARCH_INDEX_PREFIX}*`]);
    expect(importer.statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('cloudsearch:'))).toEqual([]);
  });

  it('lets every API function look up revocations by key, and nothing else on that table', () => {
    for (const name of ['playlists', 'playlistImport', 'catalog', 'home', 'search', 'listening'] as const) {
      expect(grantsOf(name).actionsOn('RevocationsTable'), name).toEqual(['dynamodb:BatchGetItem']);
    }
    expect(grantsOf('shuffle').actionsOn('RevocationsTable')).toEqual([]);
  });

  it('erases deleted accounts every 10 minutes, listing and deleting only the per-user stores and the purge requests', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(10 minutes)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalIdOf('purge'), 'Arn'] } })],
    });
    // The next run is the retry: no overlapping repeats of a failed one.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalIdOf('purge') },
      MaximumRetryAttempts: 0,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'FailedInvocations',
      AlarmActions: [alarmTopic()],
    });
    const purge = grantsOf('purge');
    expect(purge.actionsOn('PlaylistsTable').sort()).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:Query']);
    expect(purge.actionsOn('ListeningTable').sort()).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:Query']);
    // The listeners' own home feeds, and only those: not the global feed nor the popularity.
    const onHome = purge.statements.filter((s) => JSON.stringify(s.Resource).includes('HomeTable'));
    expect(onHome).toEqual([
      expect.objectContaining({
        Action: ['dynamodb:BatchWriteItem', 'dynamodb:Query'],
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['user#*'] } },
      }),
    ]);
    // Single deletes and queries, only in the purge requests' and the revoked users' partitions:
    // no ended session can be deleted (its tokens accepted again) nor a purge request written.
    const onRevocations = purge.statements.filter((s) => JSON.stringify(s.Resource).includes('RevocationsTable'));
    expect(onRevocations).toEqual([
      expect.objectContaining({
        Action: ['dynamodb:DeleteItem', 'dynamodb:Query'],
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['purge', 'user#*'] } },
      }),
    ]);
    // Not the playlists' order index: the purge lists partitions by key.
    expect(purge.actionsOn('/index/')).toEqual([]);
    expect(purge.actionsOn('TracksTable')).toEqual([]);
    expect(purge.actionsOn('media-bucket')).toEqual([]);
  });

  it('passes cdk-nag AwsSolutions with every finding fixed or accepted', () => {
    expect(nagFindings(stacks.api)).toEqual([]);
    expect(nagFindings(stacks.api, 'warning')).toEqual([]);
  });
});
