import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../backend/api/routes';
import { SEARCH_INDEX_PREFIX } from '../../backend/adapters/search/embedded/snapshot-store.s3';
import { nagFindings, synthApp } from '../testing/synth';
import { SEARCH_INDEX_PREFIX as STACK_SEARCH_INDEX_PREFIX } from './search-stack';

type Statement = { Action: string | string[]; Resource: unknown };
type Name = 'playlists' | 'catalog' | 'home' | 'search' | 'shuffle';

describe('ApiStack', () => {
  let stacks: ReturnType<typeof synthApp>;
  let template: Template;
  beforeAll(() => {
    stacks = synthApp();
    template = Template.fromStack(stacks.api);
  });

  const logicalIdOf = (name: Name) =>
    stacks.api.getLogicalId(stacks.api.functions[name].fn.node.defaultChild as never);

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

  it('runs every function on Node.js 24, arm64, 512 MB (search 1536 MB for its index), 10 s', () => {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Runtime: 'nodejs24.x' },
    });
    expect(Object.keys(functions)).toHaveLength(5);
    for (const [id, fn] of Object.entries(functions)) {
      const memory = id === logicalIdOf('search') ? 1536 : 512;
      expect(fn.Properties).toMatchObject({ Architectures: ['arm64'], MemorySize: memory, Timeout: 10 });
      expect(fn.Properties.Environment.Variables).toMatchObject({
        PLAYLISTS_TABLE: expect.anything(),
        TRACKS_TABLE: expect.anything(),
        HOME_TABLE: expect.anything(),
        MEDIA_BUCKET: expect.anything(),
        STREAM_URL_TTL_SECONDS: '900',
      });
    }
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 6);
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
      CorsConfiguration: Match.objectLike({ AllowHeaders: ['authorization', 'content-type'] }),
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

  it('grants each function only what its handler needs', () => {
    const playlists = grantsOf('playlists');
    expect(playlists.actionsOn('PlaylistsTable')).toContain('dynamodb:PutItem');
    expect(playlists.actionsOn('TracksTable')).not.toContain('dynamodb:PutItem');
    expect(playlists.actionsOn('HomeTable')).toEqual([]);
    expect(playlists.actionsOn('media-bucket')).toEqual([]);

    const catalog = grantsOf('catalog');
    expect(catalog.actionsOn('PlaylistsTable')).toEqual([]);
    expect(catalog.actionsOn('HomeTable')).toEqual([]);
    expect(catalog.actionsOn('TracksTable')).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(catalog.actionsOn('TracksTable').filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
    expect(catalog.actionsOn('media-bucket')).toEqual(['s3:GetObject']);

    const home = grantsOf('home');
    expect(home.actionsOn('HomeTable').filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
    expect(home.actionsOn('PlaylistsTable')).toEqual([]);

    const shuffle = grantsOf('shuffle');
    expect(shuffle.actionsOn('HomeTable')).toContain('dynamodb:PutItem');
    expect(shuffle.actionsOn('TracksTable').filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
    expect(shuffle.actionsOn('PlaylistsTable')).toEqual([]);
    expect(shuffle.actionsOn('media-bucket')).toEqual([]);

    for (const name of ['playlists', 'catalog', 'home', 'search', 'shuffle'] as const) {
      const actions = grantsOf(name).statements.flatMap((s) => [s.Action].flat());
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    }
  });

  it('lets the embedded search function read only the index snapshots and covers, and write nothing', () => {
    const search = grantsOf('search');
    const actions = search.statements.flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(['s3:GetObject']);
    const resources = JSON.stringify(search.statements[0]!.Resource);
    expect(resources).toContain(`/${SEARCH_INDEX_PREFIX}*`);
    expect(resources).toContain('/covers/*');
    expect(resources).not.toContain('audio/');
    expect(search.actionsOn('PlaylistsTable')).toEqual([]);
    expect(search.actionsOn('TracksTable')).toEqual([]);
    expect(search.actionsOn('HomeTable')).toEqual([]);
    const fn = template.toJSON().Resources[logicalIdOf('search')];
    expect(fn.Properties.Environment.Variables).toMatchObject({ SEARCH_BACKEND: 'embedded' });
    expect(SEARCH_INDEX_PREFIX).toBe(STACK_SEARCH_INDEX_PREFIX);
  });

  it('synthesizes with searchBackend=cloudsearch: search/suggest on the one domain, still no table writes', () => {
    const endpoint = 'https://search-alktunes-search-abc.us-east-1.cloudsearch.amazonaws.com';
    const cloud = synthApp({ searchBackend: 'cloudsearch', cloudsearchEndpoint: endpoint });
    const cloudTemplate = Template.fromStack(cloud.api);
    const search = grantsOf('search', { stacks: cloud, template: cloudTemplate });
    const actions = search.statements.flatMap((s) => [s.Action].flat());
    expect(actions.sort()).toEqual(['cloudsearch:search', 'cloudsearch:suggest', 's3:GetObject']);
    expect(search.actionsOn(':domain/alktunes-search')).toEqual(['cloudsearch:search', 'cloudsearch:suggest']);
    expect(cloud.search.domain?.domainName).toBe('alktunes-search');
    expect(search.actionsOn('PlaylistsTable')).toEqual([]);
    expect(search.actionsOn(SEARCH_INDEX_PREFIX)).toEqual([]);
    const fnId = cloud.api.getLogicalId(cloud.api.functions.search.fn.node.defaultChild as never);
    expect(cloudTemplate.toJSON().Resources[fnId].Properties.Environment.Variables).toMatchObject({
      SEARCH_BACKEND: 'cloudsearch',
      CLOUDSEARCH_ENDPOINT: endpoint,
    });
    expect(nagFindings(cloud.api)).toEqual([]);
  });

  it('passes cdk-nag AwsSolutions with every finding fixed or accepted', () => {
    expect(nagFindings(stacks.api)).toEqual([]);
    expect(nagFindings(stacks.api, 'warning')).toEqual([]);
  });
});
