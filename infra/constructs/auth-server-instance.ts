import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { acceptFindings } from '../nag';
import { Construct } from 'constructs';
import { AuthServerArtifact } from './auth-server-artifact';
import { authServerBootScript } from './auth-server-boot';

export interface AuthServerInstanceProps {
  vpc: ec2.IVpc;
  securityGroup: ec2.ISecurityGroup;
  databaseSecret: secretsmanager.ISecret;
  signingKeys: secretsmanager.ISecret;
  deletionProtection: boolean;
  /** AUTH_ISSUER, AUTH_AUDIENCE and optionally CORS_ORIGINS (see `backend/auth/env.ts`). */
  environment: Record<string, string>;
}

/** Port the Koa server listens on; nginx (`backend/auth/deploy/nginx.conf`) proxies to it. */
export const AUTH_SERVER_PORT = 4000;

/**
 * The auth server host: Graviton t4g.small on Amazon Linux 2023 in a public subnet, IMDSv2
 * only, reached through SSM Session Manager (no SSH key, no port 22). It installs and starts
 * the server at boot and reports success to CloudFormation only once the server answers.
 */
export class AuthServerInstance extends Construct {
  readonly instance: ec2.Instance;

  constructor(scope: Construct, id: string, props: AuthServerInstanceProps) {
    super(scope, id);
    const artifact = new AuthServerArtifact(this, 'Artifact');

    const userData = ec2.UserData.forLinux();
    this.instance = new ec2.Instance(this, 'Instance', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: props.securityGroup,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
      machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
      requireImdsv2: true,
      ssmSessionPermissions: true,
      detailedMonitoring: true,
      disableApiTermination: props.deletionProtection,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(16, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }),
        },
      ],
      userData,
      // A new artifact or boot script means a new instance, built from scratch.
      userDataCausesReplacement: true,
      resourceSignalTimeout: Duration.minutes(20),
    });

    userData.addSignalOnExitCommand(this.instance);
    userData.addCommands(
      ...authServerBootScript({
        artifactUrl: artifact.asset.s3ObjectUrl,
        databaseSecretArn: props.databaseSecret.secretArn,
        signingKeysSecretArn: props.signingKeys.secretArn,
        region: Stack.of(this).region,
        environment: { HOST: '127.0.0.1', PORT: String(AUTH_SERVER_PORT), TRUST_PROXY: 'true', ...props.environment },
        // Same path as env_production in backend/auth/deploy/ecosystem.config.cjs.
        keysFile: '/var/lib/alktunes-auth/signing-keys.json',
        healthPath: '/health',
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

    acceptFindings(
      this.instance,
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
        reason: 'AmazonSSMManagedInstanceCore is the documented minimum for Session Manager, which replaces SSH.',
      },
      {
        id: 'AwsSolutions-EC29',
        reason: 'A single instance by design (PM2 restarts the process); termination protection follows the deletionProtection context.',
      },
    );
  }
}
