import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthApp } from '../testing/synth';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

describe('the auth signing keys, made during the deployment', () => {
  let template: Template;
  let resources: Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] }>;
  let keysSecretId: string;
  /** The Allow statements of the inline policies attached to a role (by its logical id). */
  const statementsOf = (roleId: string): Statement[] =>
    Object.values(resources)
      .filter(
        (resource) =>
          resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties.Roles) === JSON.stringify([{ Ref: roleId }]),
      )
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  const actionsOf = (statements: Statement[]) => statements.flatMap((statement) => [statement.Action].flat()).sort();
  const onKeys = (statement: Statement) => JSON.stringify(statement.Resource) === JSON.stringify({ Ref: keysSecretId });
  /** The auth server's instance (not the NAT instance's): the one that boots the server. */
  const serverInstance = () => {
    const ids = Object.keys(resources).filter(
      (id) =>
        resources[id]!.Type === 'AWS::EC2::Instance' && JSON.stringify(resources[id]!.Properties.UserData).includes('restore_signing_keys'),
    );
    expect(ids).toHaveLength(1);
    return ids[0]!;
  };

  beforeAll(() => {
    template = Template.fromStack(synthApp().auth);
    resources = template.toJSON().Resources;
    const secrets = Object.keys(resources).filter(
      (id) =>
        resources[id]!.Type === 'AWS::SecretsManager::Secret' &&
        JSON.stringify(resources[id]!.Properties.Name).includes('/auth/signing-keys-'),
    );
    expect(secrets).toHaveLength(1);
    keysSecretId = secrets[0]!;
  });

  it('lets the auth instance read the keys secret and nothing more: no secret can be written from it', () => {
    const profileId = (resources[serverInstance()]!.Properties.IamInstanceProfile as { Ref: string }).Ref;
    const [role] = resources[profileId]!.Properties.Roles as { Ref: string }[];
    const statements = statementsOf(role!.Ref);
    expect(actionsOf(statements.filter(onKeys))).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    const secretActions = actionsOf(statements).filter((action) => action.startsWith('secretsmanager:'));
    expect(secretActions.filter((action) => !/^secretsmanager:(GetSecretValue|DescribeSecret)$/.test(action))).toEqual([]);
  });

  it('generates them with a function the deployment runs before the instance boots, which may only read and fill that secret', () => {
    const triggers = Object.entries(resources).filter(
      ([, resource]) => resource.Type === 'Custom::Trigger' && JSON.stringify(resource).includes('SigningKeys'),
    );
    expect(triggers).toHaveLength(1);
    const [triggerId, trigger] = triggers[0]!;
    expect(trigger.Properties).toMatchObject({ InvocationType: 'RequestResponse', ExecuteOnHandlerChange: true });

    const version = resources[(trigger.Properties.HandlerArn as { Ref: string }).Ref]!;
    const functionId = (version.Properties.FunctionName as { Ref: string }).Ref;
    const fn = resources[functionId]!;
    expect(fn.Properties.Environment).toEqual({
      Variables: {
        SIGNING_KEYS_SECRET_ARN: { Ref: keysSecretId },
        POWERTOOLS_SERVICE_NAME: 'create-signing-keys',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(statementsOf(roleId)).toEqual([
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], Resource: { Ref: keysSecretId } },
    ]);

    expect(resources[serverInstance()]!.DependsOn).toContain(triggerId);
  });

  it('starts the keys secret as an empty key set, which the function fills', () => {
    const secret = resources[keysSecretId]!;
    expect(JSON.parse((secret.Properties.GenerateSecretString as { SecretStringTemplate: string }).SecretStringTemplate)).toEqual({
      keys: [],
    });
  });
});
