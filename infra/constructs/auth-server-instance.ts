import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { acceptFindings, nagResourceName } from '../nag';
import { Construct } from 'constructs';
import { AuthServerArtifact } from './auth-server-artifact';
import { authServerBootScript } from './auth-server-boot';
import { AUTH_SERVER_PORT } from './auth-server-files';
import { authServerImage } from './auth-server-image';

export interface AuthServerInstanceProps {
  vpc: ec2.IVpc;
  securityGroup: ec2.ISecurityGroup;
  databaseSecret: secretsmanager.ISecret;
  /** The database's name, for a secret that lacks `dbname`. */
  databaseName: string;
  signingKeys: secretsmanager.ISecret;
  /** AMI id or Amazon Linux 2023 AMI name (context `authAmi`, see `auth-server-image.ts`). */
  ami: string;
  /** Allocation id of the Elastic IP that CloudFront reaches the server at. */
  elasticIpAllocationId: string;
  /** Name of the log group for the server, probe, nginx and boot logs. */
  logGroupName: string;
  /** AUTH_ISSUER, AUTH_AUDIENCE and optionally CORS_ORIGINS (see `backend/auth/env.ts`). */
  environment: Record<string, string>;
}

/**
 * The auth server host: Graviton t4g.small on a pinned Amazon Linux 2023 in a public subnet,
 * IMDSv2 only, reached through SSM Session Manager (no SSH key, no port 22). It installs and
 * starts the server at boot and reports success to CloudFormation only once the server answers.
 *
 * The instance holds no state: users are in RDS, signing keys in Secrets Manager, logs in
 * CloudWatch. So a new artifact or environment replaces it (user data runs only at first boot,
 * hence `userDataCausesReplacement`): CloudFormation starts the new instance, which takes the
 * Elastic IP itself once its server answers and only then signals success; CloudFormation then
 * terminates the old one. A new instance that fails never takes the address; if an update rolls
 * back after the new one took it, the old one takes it back within a minute (its address watch,
 * see `auth-server-address-watch.ts`). Termination protection
 * would make that last step fail and leave the old instance running with the database
 * credentials, so it is off; deletion protection belongs to the database.
 */
export class AuthServerInstance extends Construct {
  readonly instance: ec2.Instance;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AuthServerInstanceProps) {
    super(scope, id);
    const artifact = new AuthServerArtifact(this, 'Artifact', { logGroupName: props.logGroupName });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: props.logGroupName,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const userData = ec2.UserData.forLinux();
    this.instance = new ec2.Instance(this, 'Instance', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: props.securityGroup,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
      machineImage: authServerImage(this, props.ami),
      requireImdsv2: true,
      ssmSessionPermissions: true,
      disableApiTermination: false,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(16, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }),
        },
      ],
      userData,
      userDataCausesReplacement: true,
      resourceSignalTimeout: Duration.minutes(20),
    });

    userData.addSignalOnExitCommand(this.instance);
    userData.addCommands(
      ...authServerBootScript({
        artifactUrl: artifact.asset.s3ObjectUrl,
        databaseSecretArn: props.databaseSecret.secretArn,
        databaseName: props.databaseName,
        elasticIpAllocationId: props.elasticIpAllocationId,
        signingKeysSecretArn: props.signingKeys.secretArn,
        region: Stack.of(this).region,
        environment: { HOST: '127.0.0.1', PORT: String(AUTH_SERVER_PORT), TRUST_PROXY: 'true', ...props.environment },
      }),
    );

    // The one artifact object, not the whole asset bucket.
    iam.Grant.addToPrincipal({
      grantee: this.instance,
      actions: ['s3:GetObject'],
      resourceArns: [artifact.asset.bucket.arnForObjects(artifact.asset.s3ObjectKey)],
    });
    props.databaseSecret.grantRead(this.instance);
    props.signingKeys.grantRead(this.instance);
    props.signingKeys.grantWrite(this.instance);
    // The CloudWatch agent writes streams into this one group; it creates no groups.
    this.logGroup.grantWrite(this.instance);
    const [instanceAddressGrant, interfaceAddressGrant] = this.grantClaimAddress(props.elasticIpAllocationId, props.vpc);

    acceptFindings(
      this.instance,
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
        reason: 'AmazonSSMManagedInstanceCore is the documented minimum for Session Manager, which replaces SSH.',
      },
      {
        id: 'AwsSolutions-EC29',
        reason: 'A single stateless instance replaced on every change; termination protection would orphan the old one (see AuthServerInstance).',
      },
      {
        id: 'AwsSolutions-EC28',
        reason: 'The only EC2 metric alarmed on, StatusCheckFailed, is per-minute without detailed monitoring (which costs ~$2.10/month).',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${instanceAddressGrant}]`,
        reason: "A replacement instance's id is unknown until it runs; ec2:InstanceProfile limits the address to instances of this server's profile.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::${interfaceAddressGrant}]`,
        reason: "The instance's network interface is created with it; ec2:Vpc limits it to this VPC, and the address grant to this one Elastic IP.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ec2:DescribeAddresses supports no resource-level permissions; the address watch reads only whether the Elastic IP is associated.',
      },
    );
  }

  /**
   * ec2:AssociateAddress for this one Elastic IP, onto instances launched with this server's
   * instance profile (old or new: a replacement's id is unknown when the policy is written). The
   * request names the address and the instance, the two resources EC2 authorizes it on. Also
   * ec2:DescribeAddresses, for the address watch. Returns the instance and network interface
   * resource patterns as cdk-nag names them.
   */
  private grantClaimAddress(allocationId: string, vpc: ec2.IVpc): string[] {
    const stack = Stack.of(this);
    const vpcArn = stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: vpc.vpcId });
    const profile = this.instance.node.findChild('InstanceProfile') as iam.CfnInstanceProfile;
    this.instance.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ec2:AssociateAddress'],
        resources: [stack.formatArn({ service: 'ec2', resource: 'elastic-ip', resourceName: allocationId })],
      }),
    );
    const instances = stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' });
    this.instance.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ec2:AssociateAddress'],
        resources: [instances],
        conditions: { ArnEquals: { 'ec2:InstanceProfile': profile.attrArn } },
      }),
    );
    // Whether EC2 also authorizes the instance's network interface when the request names the
    // instance is not documented; allowing this VPC's interfaces (still for this one address
    // only) keeps a first boot from failing on it.
    const interfaces = stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' });
    this.instance.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ec2:AssociateAddress'],
        resources: [interfaces],
        conditions: { ArnEquals: { 'ec2:Vpc': vpcArn } },
      }),
    );
    // The address watch (auth-server-address-watch.ts) reads whether the address is associated.
    this.instance.addToRolePolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeAddresses'], resources: ['*'] }));
    return [nagResourceName(stack, instances), nagResourceName(stack, interfaces)];
  }
}
