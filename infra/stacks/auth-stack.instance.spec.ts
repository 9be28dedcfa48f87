import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUTH_AMI } from '../constructs/auth-server-image';
import { synthApp } from '../testing/synth';
import { userDataText } from '../testing/user-data';

describe('AuthStack instance', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(synthApp().auth);
  });

  it('runs the server on a t4g.small in a public subnet with IMDSv2, SSM and no SSH key', () => {
    template.hasResourceProperties('AWS::EC2::Instance', {
      InstanceType: 't4g.small',
      KeyName: Match.absent(),
      SubnetId: { Ref: Match.stringLikeRegexp('publicSubnet') },
      BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ Encrypted: true }) })],
      // Basic monitoring: status checks are per-minute anyway, and no alarm reads other EC2 metrics.
      Monitoring: Match.absent(),
    });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':iam::aws:policy/AmazonSSMManagedInstanceCore'])] })],
    });
  });

  it('boots a pinned Node.js and starts the built server under systemd with its secrets', () => {
    const instance = Object.values(template.findResources('AWS::EC2::Instance'))[0]!;
    const script = JSON.stringify(instance.Properties.UserData);
    for (const step of ['nodejs.org/dist/v24.21.0/node-v24.21.0-linux-arm64.tar.xz', 'sha256sum -c', 'dnf install -y nginx', 'amazon-cloudwatch-agent-ctl', 'systemctl restart alktunes-auth.service', 'secretsmanager get-secret-value', "AUTH_AUDIENCE='alktunes-api'", 'TRUST_PROXY=', 'cfn-signal']) {
      expect(script).toContain(step);
    }
    expect(script).not.toMatch(/pm2|ecosystem|latest-v24/);
    expect(instance.CreationPolicy).toMatchObject({ ResourceSignal: { Timeout: 'PT20M' } });
  });

  it('has the instance take the Elastic IP itself, last, once healthy: CloudFormation never moves it', () => {
    template.resourceCountIs('AWS::EC2::EIPAssociation', 0);
    const [addressId] = Object.keys(template.findResources('AWS::EC2::EIP'));
    const allocationId = { 'Fn::GetAtt': [addressId, 'AllocationId'] };
    const instance = Object.values(template.findResources('AWS::EC2::Instance'))[0]!;
    const script = userDataText(instance.Properties.UserData);
    const lines = script.trimEnd().split('\n');
    // The exit trap sends cfn-signal after the last command, which claims the address after the health check.
    expect(lines.at(-1)).toBe('claim_elastic_ip');
    expect(lines.indexOf('wait_until_healthy')).toBeGreaterThan(0);
    expect(lines.indexOf('wait_until_healthy')).toBeLessThan(lines.length - 1);
    expect(script).toMatch(/\ntrap exitTrap EXIT\n/);
    expect(script.match(/cfn-signal/g)).toHaveLength(1);
    expect(script).toContain(`aws ec2 associate-address --region <{"Ref":"AWS::Region"}> --allocation-id '<${JSON.stringify(allocationId)}>' --instance-id "$instance_id" --allow-reassociation`);
    // Its public subnet gives it an address to boot with (packages, AWS APIs) until then.
    template.hasResourceProperties('AWS::EC2::Subnet', { SubnetId: Match.absent(), MapPublicIpOnLaunch: true });
    // CloudFront's origin is the address's DNS name, known before any instance exists.
    expect(JSON.stringify(template.findResources('AWS::CloudFront::Distribution'))).toContain(JSON.stringify({ 'Fn::GetAtt': [addressId, 'PublicIp'] }));
  });

  it('lets the instance associate only that address, and only with instances of its own profile', () => {
    const [addressId] = Object.keys(template.findResources('AWS::EC2::EIP'));
    const [vpcId] = Object.keys(template.findResources('AWS::EC2::VPC'));
    const [profileId, profile] = Object.entries(template.findResources('AWS::IAM::InstanceProfile'))[0]!;
    const arn = (resource: unknown[]) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ...resource]],
    });
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const grants = policies.flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
        .filter((statement) => [statement.Action].flat().includes('ec2:AssociateAddress'))
        .map((statement) => ({ roles: policy.Properties.Roles, statement })),
    );
    expect(grants).toEqual([
      { roles: profile.Properties.Roles, statement: { Action: 'ec2:AssociateAddress', Effect: 'Allow', Resource: arn([':elastic-ip/', { 'Fn::GetAtt': [addressId, 'AllocationId'] }]) } },
      {
        roles: profile.Properties.Roles,
        statement: {
          Action: 'ec2:AssociateAddress',
          Effect: 'Allow',
          Resource: arn([':instance/*']),
          Condition: { ArnEquals: { 'ec2:InstanceProfile': { 'Fn::GetAtt': [profileId, 'Arn'] } } },
        },
      },
      {
        roles: profile.Properties.Roles,
        statement: {
          Action: 'ec2:AssociateAddress',
          Effect: 'Allow',
          Resource: arn([':network-interface/*']),
          Condition: { ArnEquals: { 'ec2:Vpc': arn([':vpc/', { Ref: vpcId }]) } },
        },
      },
    ]);
  });

  it('pins the image by Amazon Linux release name and is replaceable: no termination protection', () => {
    const [lookupId, lookup] = Object.entries(template.findResources('Custom::AmiLookup'))[0]!;
    expect(JSON.stringify(lookup.Properties)).toContain(DEFAULT_AUTH_AMI);
    template.hasResourceProperties('AWS::EC2::Instance', { ImageId: { 'Fn::GetAtt': [lookupId, 'Images.0.ImageId'] } });
    for (const instance of Object.values(template.findResources('AWS::EC2::Instance'))) {
      expect(instance.Properties.DisableApiTermination ?? false).toBe(false);
    }
    // Nothing resolves the image at each deploy (an SSM "latest" parameter would float).
    expect(JSON.stringify(template.toJSON().Parameters ?? {})).not.toContain('ami-amazon-linux-latest');
  });

  it('ships the server logs to a log group with retention that the instance may only append to', () => {
    const [groupId] = Object.keys(template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/alktunes/auth-server' } }));
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/alktunes/auth-server', RetentionInDays: 30 });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const onGroup = statements.filter((statement) => JSON.stringify(statement.Resource).includes(groupId!));
    expect(onGroup).toEqual([expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] })]);
  });
});

describe('AuthStack image context', () => {
  it('uses an AMI id as given, without a lookup', () => {
    const template = Template.fromStack(synthApp({ authAmi: 'ami-0123456789abcdef0' }).auth);
    template.hasResourceProperties('AWS::EC2::Instance', { ImageId: 'ami-0123456789abcdef0' });
    template.resourceCountIs('Custom::AmiLookup', 0);
  });

  it('rejects an image that is neither an AMI id nor an arm64 Amazon Linux 2023 name', () => {
    expect(() => synthApp({ authAmi: 'al2023-ami-2023.10.20260302.1-kernel-6.1-x86_64' })).toThrow(/authAmi/);
  });
});
