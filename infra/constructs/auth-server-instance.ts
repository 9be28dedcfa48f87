import { createHash } from 'node:crypto';
import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { acceptFindings } from '../nag';
import { Construct } from 'constructs';
import { AuthServerArtifact } from './auth-server-artifact';
import { type AuthServerBootOptions, authServerBootScript } from './auth-server-boot';
import { AUTH_SERVER_PORT } from './auth-server-files';
import { authServerImage } from './auth-server-image';
import type { CloudFrontPrefixList } from './cloudfront-prefix-list';

export interface AuthServerInstanceProps {
  vpc: ec2.IVpc;
  securityGroup: ec2.ISecurityGroup;
  databaseSecret: secretsmanager.ISecret;
  /** The database's name, for a secret that lacks `dbname`. */
  databaseName: string;
  signingKeys: secretsmanager.ISecret;
  /** AMI id or Amazon Linux 2023 AMI name (context `authAmi`, see `auth-server-image.ts`). */
  ami: string;
  /** Where its AUTH_ISSUER comes from (see `resolve_auth_issuer` in `auth-server-boot.ts`). */
  issuer: AuthServerBootOptions['issuer'];
  /** CloudFront's origin-facing prefix list, whose ranges nginx believes CloudFront-Viewer-Address from. */
  cloudFrontPrefixList: CloudFrontPrefixList;
  /** Name of the log group for the server, probe, nginx and boot logs. */
  logGroupName: string;
  /** AUTH_AUDIENCE, REGISTRATION and optionally CORS_ORIGINS (see `backend/auth/env.ts`). */
  environment: Record<string, string>;
}

/**
 * The auth server host: Graviton t4g.small on a pinned Amazon Linux 2023 in a private subnet
 * (no public address; packages and AWS APIs through the NAT instance), IMDSv2 only, reached
 * through SSM Session Manager (no SSH key, no port 22). CloudFront reaches it as a VPC origin.
 * It installs and starts the server at boot and reports success to CloudFormation only once the
 * server answers.
 *
 * The instance holds no state: users are in RDS, signing keys in Secrets Manager, logs in
 * CloudWatch. So a new artifact or environment replaces it (user data runs only at first boot,
 * hence `userDataCausesReplacement`): CloudFormation starts the new instance and waits for its
 * success signal, then creates a new VPC origin for it (see `generation`), moves the
 * distribution over, and in its cleanup deletes the old origin and terminates the old instance;
 * a new instance that fails never receives traffic, and a rolled-back update leaves the
 * distribution on the old ones. Termination protection would make the cleanup fail and leave
 * the old instance running with the database credentials, so it is off; deletion protection
 * belongs to the database.
 */
export class AuthServerInstance extends Construct {
  readonly instance: ec2.Instance;
  readonly logGroup: logs.LogGroup;
  /**
   * 16 hex digits that change whenever CloudFormation replaces the instance: a digest of its
   * logical id, which carries the user data's hash, and of its image. CloudFront refuses to
   * point a VPC origin in use at another instance (409), so the CDN names its origin after
   * this and gets a new one per instance. Known only at synthesis: the user data's hash covers
   * values (cross-stack references) that resolve only then.
   */
  readonly generation: string;

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
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
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

    // It boots through the NAT instance: not before the private subnets' routes to it exist.
    this.instance.node.addDependency(
      props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).internetConnectivityEstablished,
    );

    const cfnInstance = this.instance.node.defaultChild as ec2.CfnInstance;
    this.generation = Lazy.uncachedString({
      produce: (context) =>
        createHash('sha256')
          .update(JSON.stringify([context.resolve(cfnInstance.logicalId), props.ami]))
          .digest('hex')
          .slice(0, 16),
    });

    userData.addSignalOnExitCommand(this.instance);
    userData.addCommands(
      ...authServerBootScript({
        artifactUrl: artifact.asset.s3ObjectUrl,
        databaseSecretArn: props.databaseSecret.secretArn,
        databaseName: props.databaseName,
        signingKeysSecretArn: props.signingKeys.secretArn,
        issuer: props.issuer,
        cloudFrontPrefixListId: props.cloudFrontPrefixList.prefixListId,
        region: Stack.of(this).region,
        // nginx, on this host, is the one proxy whose X-Forwarded-For the server believes.
        environment: { HOST: '127.0.0.1', PORT: String(AUTH_SERVER_PORT), TRUSTED_PROXIES: '127.0.0.1', ...props.environment },
      }),
    );

    // The one artifact object, not the whole asset bucket.
    iam.Grant.addToPrincipal({
      grantee: this.instance,
      actions: ['s3:GetObject'],
      resourceArns: [artifact.asset.bucket.arnForObjects(artifact.asset.s3ObjectKey)],
    });
    props.databaseSecret.grantRead(this.instance);
    // Read only: the deployment makes the keys (see signing-keys-generator.ts).
    props.signingKeys.grantRead(this.instance);
    // The CloudWatch agent writes streams into this one group; it creates no groups.
    this.logGroup.grantWrite(this.instance);
    this.instance.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['ec2:GetManagedPrefixListEntries'], resources: [props.cloudFrontPrefixList.prefixListArn] }),
    );
    if ('parameterName' in props.issuer) {
      // AmazonSSMManagedInstanceCore (below) allows this already, on every parameter; this grant
      // states what the boot needs, so it keeps working if that policy is ever scoped down.
      // By name, not by a reference to the parameter: that would make the instance wait for the
      // distribution, which waits for the instance.
      const stack = Stack.of(this);
      const parameterArn = stack.formatArn({
        service: 'ssm',
        resource: 'parameter',
        resourceName: props.issuer.parameterName.replace(/^\//, ''),
      });
      this.instance.addToRolePolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameters'], resources: [parameterArn] }));
    }

    acceptFindings(
      this.instance,
      {
        // The trade-off: besides the agent's own calls it allows ssm:GetParameter(s) on every
        // parameter of the account, so the instance could read any of them (SecureStrings under
        // the default key too). A scoped copy would have to follow the agent's needs by hand, which
        // nothing here can check, and a gap would lock admins out of the instance.
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
        reason:
          "AWS's policy for the SSM agent behind Session Manager, which replaces SSH; it follows the agent's needs, and also lets the instance read every SSM parameter of the account.",
      },
      {
        id: 'AwsSolutions-EC29',
        reason:
          'A single stateless instance replaced on every change; termination protection would orphan the old one (see AuthServerInstance).',
      },
      {
        id: 'AwsSolutions-EC28',
        reason: 'The only EC2 metric alarmed on, StatusCheckFailed, is per-minute without detailed monitoring (which costs ~$2.10/month).',
      },
    );
  }
}
