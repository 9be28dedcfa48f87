import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthApp } from '../testing/synth';
import { userDataText } from '../testing/user-data';

type Statement = { Action: string | string[]; Resource: unknown };

describe('AuthStack and the revocations table', () => {
  let stacks: ReturnType<typeof synthApp>;
  let template: Template;
  beforeAll(() => {
    stacks = synthApp();
    template = Template.fromStack(stacks.auth);
  });

  /** The data stack's export of the revocations table's `attribute` as the auth stack imports it. */
  const revocationsTable = (attribute: 'Ref' | 'Arn') => {
    const tableId = stacks.data.getLogicalId(stacks.data.tables.revocations.table.node.defaultChild as never);
    const exported = attribute === 'Ref' ? `ExportsOutputRef${tableId}` : `ExportsOutputFnGetAtt${tableId}Arn`;
    return new RegExp(`"Fn::ImportValue":"alktunes-data:${exported}`);
  };

  it('lets the instance put items into the revocations table, and do nothing else with any table', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
    );
    const onDynamo = statements.filter((s) => [s.Action].flat().some((action) => action.startsWith('dynamodb:')));
    expect(onDynamo).toHaveLength(1);
    expect(onDynamo[0]!.Action).toBe('dynamodb:PutItem');
    expect(JSON.stringify(onDynamo[0]!.Resource)).toMatch(revocationsTable('Arn'));
  });

  it("writes the table's name and region into the server's env file", () => {
    const [instance] = Object.values(template.findResources('AWS::EC2::Instance', { Properties: { InstanceType: 't4g.small' } }));
    const userData = JSON.stringify(instance!.Properties.UserData);
    expect(userData).toMatch(revocationsTable('Ref'));
    const script = userDataText(instance!.Properties.UserData);
    expect(script).toMatch(/^REVOCATIONS_TABLE='.+'$/m);
    expect(script).toMatch(/^AWS_REGION='.+'$/m);
  });
});
