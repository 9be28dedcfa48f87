/* The IAM contract's own parts: the policy evaluator, the call → action mapper and the template resolver. */
import { describe, expect, it } from 'vitest';
import type { CfnTemplate } from './cloud-assembly';
import { iamRequestsOf, type RecordedCall } from './iam-actions';
import { evaluate, functionPolicy, resourceMatches, reviewGrants, type PolicyStatement } from './iam-policy';
import { rehearsalAccount, TemplateResolver, tokenKey } from './template-resolver';

const table = (name: string) => `arn:aws:dynamodb:us-east-1:123456789012:table/${name}`;
const allow = (Action: string | string[], Resource: string | string[]): PolicyStatement => ({ Effect: 'Allow', Action, Resource });

describe('policy evaluator', () => {
  const readTracks = allow(['dynamodb:GetItem', 'dynamodb:Query'], [table('tracks'), `${table('tracks')}/index/*`]);

  it('allows what a statement names, on the resources it names', () => {
    expect(evaluate([readTracks], { action: 'dynamodb:GetItem', resource: table('tracks') })).toBe('allow');
    expect(evaluate([readTracks], { action: 'dynamodb:Query', resource: `${table('tracks')}/index/gsi2` })).toBe('allow');
  });

  it('denies by default: another action, another table, a name that only starts the same', () => {
    expect(evaluate([readTracks], { action: 'dynamodb:PutItem', resource: table('tracks') })).toBe('implicit-deny');
    expect(evaluate([readTracks], { action: 'dynamodb:GetItem', resource: table('home') })).toBe('implicit-deny');
    expect(evaluate([readTracks], { action: 'dynamodb:GetItem', resource: table('tracks-archive') })).toBe('implicit-deny');
    expect(evaluate([], { action: 'dynamodb:GetItem', resource: table('tracks') })).toBe('implicit-deny');
  });

  it('lets an explicit Deny win over any Allow', () => {
    const deny: PolicyStatement = { Effect: 'Deny', Action: 'dynamodb:*', Resource: table('tracks') };
    expect(evaluate([readTracks, deny], { action: 'dynamodb:GetItem', resource: table('tracks') })).toBe('explicit-deny');
    expect(
      evaluate([allow('*', '*'), { Effect: 'Deny', NotAction: 's3:GetObject', Resource: '*' }], {
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::b/k',
      }),
    ).toBe('explicit-deny');
  });

  it('reads NotAction and NotResource as everything but', () => {
    const allButDelete: PolicyStatement = { Effect: 'Allow', NotAction: 's3:Delete*', Resource: 'arn:aws:s3:::media/*' };
    expect(evaluate([allButDelete], { action: 's3:GetObject', resource: 'arn:aws:s3:::media/a.mp3' })).toBe('allow');
    expect(evaluate([allButDelete], { action: 's3:DeleteObject', resource: 'arn:aws:s3:::media/a.mp3' })).toBe('implicit-deny');
    const notCovers: PolicyStatement = { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::media/covers/*' };
    expect(evaluate([notCovers], { action: 's3:GetObject', resource: 'arn:aws:s3:::media/audio/a.mp3' })).toBe('allow');
    expect(evaluate([notCovers], { action: 's3:GetObject', resource: 'arn:aws:s3:::media/covers/a.svg' })).toBe('implicit-deny');
  });

  it('matches actions without regard to case, resources with it, and wildcards as IAM does', () => {
    expect(evaluate([allow('S3:getobject', 'arn:aws:s3:::media/*')], { action: 's3:GetObject', resource: 'arn:aws:s3:::media/x' })).toBe(
      'allow',
    );
    expect(evaluate([allow('s3:GetObject', 'arn:aws:s3:::Media/*')], { action: 's3:GetObject', resource: 'arn:aws:s3:::media/x' })).toBe(
      'implicit-deny',
    );
    expect(resourceMatches('arn:aws:s3:::media/covers/*', 'arn:aws:s3:::media/covers/a/b.svg')).toBe(true);
    expect(resourceMatches('arn:aws:s3:::media/covers/?.svg', 'arn:aws:s3:::media/covers/ab.svg')).toBe(false);
    // A wildcard in one ARN segment never swallows a colon: this names no region and account at once.
    expect(resourceMatches('arn:aws:dynamodb:*:table/tracks', table('tracks'))).toBe(false);
    expect(resourceMatches('arn:aws:dynamodb:*:*:table/tracks', table('tracks'))).toBe(true);
  });

  it('counts a conditional Allow as no Allow and a conditional Deny as a Deny (offline, conditions are unknown)', () => {
    const conditional = { ...readTracks, Condition: { Bool: { 'aws:SecureTransport': 'true' } } };
    expect(evaluate([conditional], { action: 'dynamodb:GetItem', resource: table('tracks') })).toBe('implicit-deny');
    expect(evaluate([readTracks, { ...conditional, Effect: 'Deny' }], { action: 'dynamodb:GetItem', resource: table('tracks') })).toBe(
      'explicit-deny',
    );
  });

  it('evaluates string conditions over a multivalued key as IAM does: every value (ForAllValues) or any (ForAnyValue) must match', () => {
    const leading = (operator: string, patterns: string[]): PolicyStatement => ({
      ...allow(['dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:Scan'], table('revocations')),
      Condition: { [operator]: { 'dynamodb:LeadingKeys': patterns } },
    });
    const request = (action: string, keys: string[]) => ({
      action,
      resource: table('revocations'),
      context: { 'dynamodb:LeadingKeys': keys },
    });
    const purgeOnly = leading('ForAllValues:StringLike', ['purge', 'user#*']);
    expect(evaluate([purgeOnly], request('dynamodb:DeleteItem', ['user#usr_a']))).toBe('allow');
    expect(evaluate([purgeOnly], request('dynamodb:Query', ['purge']))).toBe('allow');
    expect(evaluate([purgeOnly], request('dynamodb:DeleteItem', ['session#ses_a']))).toBe('implicit-deny');
    expect(evaluate([purgeOnly], request('dynamodb:DeleteItem', ['user#usr_a', 'session#ses_a']))).toBe('implicit-deny');
    // Like is case-sensitive and whole-value: `purge` does not match `purges` or `Purge`.
    expect(evaluate([purgeOnly], request('dynamodb:Query', ['purges']))).toBe('implicit-deny');
    expect(evaluate([purgeOnly], request('dynamodb:Query', ['Purge']))).toBe('implicit-deny');
    // IAM's known trap, kept: ForAllValues holds for a request without the key (a Scan has no leading key).
    expect(evaluate([purgeOnly], request('dynamodb:Scan', []))).toBe('allow');
    expect(evaluate([leading('ForAllValues:StringEquals', ['user#*'])], request('dynamodb:DeleteItem', ['user#usr_a']))).toBe(
      'implicit-deny',
    );
    expect(evaluate([leading('ForAnyValue:StringLike', ['user#*'])], request('dynamodb:DeleteItem', ['user#usr_a', 'session#ses_a']))).toBe(
      'allow',
    );
    expect(evaluate([leading('ForAnyValue:StringLike', ['user#*'])], request('dynamodb:Scan', []))).toBe('implicit-deny');
    // A key the mapper could not know leaves the condition unknown: no Allow.
    expect(evaluate([purgeOnly], { action: 'dynamodb:DeleteItem', resource: table('revocations') })).toBe('implicit-deny');
    // Every operator and every key of a Condition must hold.
    const both = { ...purgeOnly, Condition: { ...purgeOnly.Condition, Bool: { 'aws:SecureTransport': 'true' } } };
    expect(evaluate([both], request('dynamodb:DeleteItem', ['user#usr_a']))).toBe('implicit-deny');
  });

  it('reviews which grants, actions and resources no request used', () => {
    const unusedTable = allow('dynamodb:GetItem', table('home'));
    const [tracks, home] = reviewGrants([readTracks, unusedTable], [{ action: 'dynamodb:GetItem', resource: table('tracks') }]);
    expect(tracks).toMatchObject({ used: true, unusedActions: ['dynamodb:Query'], unusedResources: [`${table('tracks')}/index/*`] });
    expect(home).toMatchObject({ used: false });
  });
});

describe('recorded call → IAM checks', () => {
  const dynamo = (operation: string, body: unknown): RecordedCall => ({
    service: 'dynamodb',
    method: 'POST',
    url: '/',
    headers: { 'x-amz-target': `DynamoDB_20120810.${operation}` },
    body: Buffer.from(JSON.stringify(body)),
  });
  const s3 = (method: string, url: string, headers: Record<string, string> = {}, body = ''): RecordedCall => ({
    service: 's3',
    method,
    url,
    headers,
    body: Buffer.from(body),
  });
  const map = (call: RecordedCall) => iamRequestsOf(call, rehearsalAccount);

  it('maps DynamoDB operations to their table, index, or each member of a batch or transaction', () => {
    expect(map(dynamo('GetItem', { TableName: 'home' }))).toEqual([{ action: 'dynamodb:GetItem', resource: table('home') }]);
    expect(map(dynamo('Query', { TableName: 'tracks', IndexName: 'gsi2' }))).toEqual([
      { action: 'dynamodb:Query', resource: `${table('tracks')}/index/gsi2` },
    ]);
    expect(map(dynamo('BatchGetItem', { RequestItems: { tracks: {}, home: {} } })).map((r) => r.resource)).toEqual([
      table('tracks'),
      table('home'),
    ]);
    const transaction = dynamo('TransactWriteItems', {
      TransactItems: [{ Put: { TableName: 'playlists' } }, { ConditionCheck: { TableName: 'tracks' } }],
    });
    expect(map(transaction)).toEqual([
      { action: 'dynamodb:PutItem', resource: table('playlists') },
      { action: 'dynamodb:ConditionCheckItem', resource: table('tracks') },
    ]);
    expect(() => map(dynamo('ExecuteStatement', { Statement: 'SELECT 1' }))).toThrow(/no IAM mapping/);
  });

  it('gives each DynamoDB check the partition key values it touches (dynamodb:LeadingKeys)', () => {
    const leadingKeys = (call: RecordedCall) => map(call).map((r) => r.context?.['dynamodb:LeadingKeys']);
    expect(leadingKeys(dynamo('DeleteItem', { TableName: 'r', Key: { pk: { S: 'user#u1' }, sk: { S: 'revoked' } } }))).toEqual([
      ['user#u1'],
    ]);
    expect(leadingKeys(dynamo('GetItem', { TableName: 'r', Key: { pk: { S: 'feed' }, sk: { S: 'current' } } }))).toEqual([['feed']]);
    expect(leadingKeys(dynamo('PutItem', { TableName: 'r', Item: { pk: { S: 'session#s1' }, sk: { S: 'ended' } } }))).toEqual([
      ['session#s1'],
    ]);
    const query = (KeyConditionExpression: string, names?: Record<string, string>) =>
      dynamo('Query', {
        TableName: 'r',
        KeyConditionExpression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':p': { S: 'purge' }, ':s': { S: 'user#' } },
      });
    expect(leadingKeys(query('pk = :p'))).toEqual([['purge']]);
    expect(leadingKeys(query('begins_with(sk, :s) AND #k=:p', { '#k': 'pk' }))).toEqual([['purge']]);
    expect(leadingKeys(query('(:p = pk) and sk > :s'))).toEqual([['purge']]);
    // An index's partition key is not the table's: unknown, so a LeadingKeys condition can't allow it.
    expect(
      leadingKeys(
        dynamo('Query', {
          TableName: 'r',
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': { S: 'x' } },
        }),
      ),
    ).toEqual([undefined]);
    expect(leadingKeys(dynamo('Scan', { TableName: 'r' }))).toEqual([[]]);
    const batch = dynamo('BatchWriteItem', {
      RequestItems: {
        a: [
          { DeleteRequest: { Key: { pk: { S: 'user#u1' }, sk: { S: 'x' } } } },
          { PutRequest: { Item: { pk: { S: 'purge' }, sk: { S: 'y' } } } },
        ],
        b: [{ DeleteRequest: { Key: { pk: { S: 'user#u1' }, sk: { S: 'z' } } } }],
      },
    });
    expect(leadingKeys(batch)).toEqual([['user#u1', 'purge'], ['user#u1']]);
    expect(
      leadingKeys(
        dynamo('BatchGetItem', {
          RequestItems: {
            a: {
              Keys: [
                { pk: { S: 'user#u2' }, sk: { S: 'revoked' } },
                { pk: { S: 'session#s2' }, sk: { S: 'ended' } },
              ],
            },
          },
        }),
      ),
    ).toEqual([['user#u2', 'session#s2']]);
  });

  it('maps Secrets Manager operations to their action on the secret the request names by ARN', () => {
    const keys = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:alktunes/auth/signing-keys-AbCdEf';
    const secrets = (operation: string, body: unknown): RecordedCall => ({
      service: 'secretsmanager',
      method: 'POST',
      url: '/',
      headers: { 'x-amz-target': `secretsmanager.${operation}` },
      body: Buffer.from(JSON.stringify(body)),
    });
    expect(map(secrets('GetSecretValue', { SecretId: keys }))).toEqual([{ action: 'secretsmanager:GetSecretValue', resource: keys }]);
    expect(map(secrets('PutSecretValue', { SecretId: keys, SecretString: '{}' }))).toEqual([
      { action: 'secretsmanager:PutSecretValue', resource: keys },
    ]);
    // By name, IAM checks the full ARN, whose random suffix the caller does not know.
    expect(() => map(secrets('GetSecretValue', { SecretId: 'alktunes/auth/signing-keys' }))).toThrow(/by ARN/);
  });

  it('maps S3 requests, presigned ones included, to object and bucket actions', () => {
    const signed = '/media/audio/a%20b.mp3?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc&x-id=GetObject';
    expect(map(s3('GET', signed))).toEqual([{ action: 's3:GetObject', resource: 'arn:aws:s3:::media/audio/a b.mp3' }]);
    expect(map(s3('HEAD', '/media/covers/x.svg'))).toEqual([{ action: 's3:GetObject', resource: 'arn:aws:s3:::media/covers/x.svg' }]);
    expect(map(s3('PUT', '/media/search-index/current.json?x-id=PutObject'))[0]).toEqual({
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::media/search-index/current.json',
    });
    expect(map(s3('GET', '/media?list-type=2&prefix=search-index%2F'))).toEqual([
      { action: 's3:ListBucket', resource: 'arn:aws:s3:::media' },
    ]);
    expect(map(s3('HEAD', '/media'))).toEqual([{ action: 's3:ListBucket', resource: 'arn:aws:s3:::media' }]);
    const deleteObjects = s3(
      'POST',
      '/media?delete',
      {},
      '<Delete><Object><Key>a</Key></Object><Object><Key>b&amp;c</Key></Object></Delete>',
    );
    expect(map(deleteObjects).map((r) => r.resource)).toEqual(['arn:aws:s3:::media/a', 'arn:aws:s3:::media/b&c']);
    expect(map(s3('PUT', '/media/b', { 'x-amz-copy-source': '/media/a' }))).toContainEqual({
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::media/a',
    });
    expect(() => map(s3('GET', '/media/a?acl'))).toThrow(/no IAM mapping/);
  });
});

describe('template resolver and a function’s policy', () => {
  const data: CfnTemplate = {
    Resources: {
      Tracks: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { TableName: 'app-tracks' } },
      Media: { Type: 'AWS::S3::Bucket' },
    },
    Outputs: {
      TracksArn: { Value: { 'Fn::GetAtt': ['Tracks', 'Arn'] }, Export: { Name: 'data:TracksArn' } },
      MediaName: { Value: { Ref: 'Media' }, Export: { Name: 'data:Media' } },
    },
  };
  const api: CfnTemplate = {
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: { ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/Basic']] }] },
      },
      Fn: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
      Policy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [{ Ref: 'Role' }],
          PolicyDocument: {
            Statement: [
              { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::ImportValue': 'data:TracksArn' } },
              {
                Effect: 'Allow',
                Action: 's3:GetObject',
                Resource: { 'Fn::Sub': ['arn:${AWS::Partition}:s3:::${Bucket}/*', { Bucket: { 'Fn::ImportValue': 'data:Media' } }] },
              },
            ],
          },
        },
      },
      OtherPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: { Roles: [{ Ref: 'Someone' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
      },
    },
  };

  it('resolves imports, joins and subs into the statements attached to the function’s role only', () => {
    const resolver = new TemplateResolver({ stacks: { data, api }, physicalNames: { 'data/Media': 'app-media' } });
    const { statements, managedPolicyArns } = functionPolicy(api, 'api', 'Fn', resolver);
    expect(statements.map((s) => s.Resource)).toEqual([table('app-tracks'), 'arn:aws:s3:::app-media/*']);
    expect(managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/Basic']);
  });

  it('names what the template leaves unnamed as CloudFormation would, so no stand-in answers to it', () => {
    const resolver = new TemplateResolver({ stacks: { data, api } });
    expect(functionPolicy(api, 'api', 'Fn', resolver).statements[1]!.Resource).toBe('arn:aws:s3:::data-Media/*');
    expect(() => resolver.resolve('api', { 'Fn::GetAtt': ['Fn', 'Version'] })).toThrow(/not modelled/);
  });

  describe('with token values, strict, as the auth rehearsal reads user data', () => {
    const auth: CfnTemplate = {
      Resources: {
        Cdn: { Type: 'AWS::CloudFront::Distribution' },
        Keys: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'app-keys' } },
        Logs: { Type: 'AWS::Logs::LogGroup' },
        Server: {
          Type: 'AWS::EC2::Instance',
          Properties: {
            UserData: {
              'Fn::Base64': {
                'Fn::Join': [
                  '\n',
                  ['#!/bin/bash', { 'Fn::Sub': 'ISSUER=https://${Cdn.DomainName} KEYS=${Keys} REGION=${AWS::Region} HOME=${!HOME}' }],
                ],
              },
            },
          },
        },
      },
      Outputs: { Domain: { Value: { 'Fn::GetAtt': ['Cdn', 'DomainName'] }, Export: { Name: 'auth:Domain' } } },
    };
    const issuer = { 'Fn::Join': ['', ['https://', { 'Fn::ImportValue': 'auth:Domain' }]] };
    const tokenValues = {
      [tokenKey({ 'Fn::GetAtt': ['Cdn', 'DomainName'] })]: 'd111.cloudfront.net',
      [tokenKey({ Ref: 'Keys' })]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:keys',
    };
    const strict = new TemplateResolver({ stacks: { auth, api }, strict: true, tokenValues });
    const userData = auth.Resources.Server!.Properties!.UserData;

    it('encodes Fn::Base64, and a token value wins in either Fn::GetAtt form, in Fn::Sub and across an import', () => {
      expect(Buffer.from(strict.string('auth', userData), 'base64').toString('utf8')).toBe(
        '#!/bin/bash\nISSUER=https://d111.cloudfront.net KEYS=arn:aws:secretsmanager:us-east-1:123456789012:secret:keys REGION=us-east-1 HOME=${HOME}',
      );
      expect(tokenKey({ 'Fn::GetAtt': 'Cdn.DomainName' })).toBe(tokenKey({ 'Fn::GetAtt': ['Cdn', 'DomainName'] }));
      expect(strict.string('api', issuer)).toBe('https://d111.cloudfront.net');
      // Over what the resolver would work out itself, too.
      const overridden = new TemplateResolver({ stacks: { data }, tokenValues: { [tokenKey({ Ref: 'AWS::Region' })]: 'eu-west-1' } });
      expect(overridden.string('data', { 'Fn::Sub': '${AWS::Region}' })).toBe('eu-west-1');
    });

    it('throws, when strict, where it would otherwise guess: an unvalued token, an unmodelled Ref, a name left to CloudFormation', () => {
      expect(() => new TemplateResolver({ stacks: { auth }, strict: true }).string('auth', userData)).toThrow(
        /Cdn.*DomainName.*not modelled/,
      );
      expect(() => strict.string('auth', { Ref: 'Cdn' })).toThrow(/Ref of AWS::CloudFront::Distribution not modelled/);
      expect(() => strict.string('auth', { 'Fn::GetAtt': ['Logs', 'Arn'] })).toThrow(/leaves its name to CloudFormation/);
      // The guesses a lenient resolver makes instead, which no stand-in answers to.
      const lenient = new TemplateResolver({ stacks: { auth } });
      expect(lenient.string('auth', { Ref: 'Cdn' })).toBe('auth-Cdn');
      expect(lenient.string('auth', { 'Fn::GetAtt': ['Logs', 'Arn'] })).toBe('arn:aws:logs:us-east-1:123456789012:log-group:auth-Logs:*');
    });
  });
});
