import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { acceptFindings } from '../nag';
import type { Construct } from 'constructs';
import type { InfraConfig } from '../config';
import { AuthCdn } from '../constructs/auth-cdn';
import { AuthServerAlarms } from '../constructs/auth-server-alarms';
import { DEFAULT_AUTH_AMI } from '../constructs/auth-server-image';
import { AuthServerInstance } from '../constructs/auth-server-instance';
import { SigningKeysGenerator } from '../constructs/signing-keys-generator';
import { CloudFrontOriginFacingPrefixList } from '../constructs/cloudfront-prefix-list';
import { NatInstance } from '../constructs/nat-instance';

export interface AuthStackProps extends StackProps {
  config: InfraConfig;
  /** Where the auth host's and the database's alarms go (the data stack's topic). */
  alarmTopic: sns.ITopic;
  /** The data stack's revocations table: the server writes there what the API must refuse. */
  revocationsTable: dynamodb.ITableV2;
}

const DB_PORT = 3306;
const DB_NAME = 'alktunes';
const DB_LOG_EXPORTS = ['error', 'slowquery'] as const;

/**
 * The Koa auth server: one EC2 instance (systemd + nginx) in a private subnet with no public
 * address, MySQL 8.4 on RDS in isolated subnets (TLS required), and CloudFront in front as the
 * only way in (a VPC origin): a trusted HTTPS URL, which API Gateway's JWT authorizer requires of
 * the issuer it fetches the JWKS from, and the client addresses the rate limits key on. A NAT
 * instance lets the server out to packages and AWS APIs; S3 and DynamoDB are reached through
 * gateway endpoints.
 *
 * With deletionProtection=false everything goes with the stack. With it on, the database is
 * deletion-protected and leaves a snapshot, and its credentials secret stays beside it.
 */
export class AuthStack extends Stack {
  /** The auth server's public base URL. */
  readonly url: string;
  /** The `iss` of access tokens: `https://<authDomain>` with a custom domain, else `url`. */
  readonly issuer: string;
  readonly vpc: ec2.Vpc;
  readonly database: rds.DatabaseInstance;
  readonly server: AuthServerInstance;
  readonly serverSecurityGroup: ec2.SecurityGroup;
  readonly databaseSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: AuthStackProps) {
    super(scope, id, props);
    const { config } = props;

    const nat = new NatInstance(this, 'Nat');
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGatewayProvider: nat.provider,
      natGateways: 1,
      // Ranges are handed out in this order: a new kind of subnet goes last, so the ones that
      // exist (the database's above all) keep theirs.
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'database', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
        { name: 'server', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      ],
      // Free, and off the NAT instance: the artifact download, dnf's mirrors (in S3) and the revocations table.
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }] },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB, subnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }] },
      },
      flowLogs: {
        rejected: {
          trafficType: ec2.FlowLogTrafficType.REJECT,
          destination: ec2.FlowLogDestination.toCloudWatchLogs(
            new logs.LogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
          ),
        },
      },
    });

    this.serverSecurityGroup = new ec2.SecurityGroup(this, 'ServerSecurityGroup', {
      vpc: this.vpc,
      description: 'Auth server: HTTP from CloudFront only; egress for packages, AWS APIs and MySQL only',
      allowAllOutbound: false,
    });
    this.databaseSecurityGroup = new ec2.SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc: this.vpc,
      description: 'Auth database: MySQL from the auth server only',
      allowAllOutbound: false,
    });
    // TLS ends at CloudFront, also for a custom domain: nginx listens on port 80 only. A VPC
    // origin's connections come from CloudFront's origin-facing ranges, which AWS keeps in this
    // managed prefix list (not from the VPC's own range).
    const cloudFront = new CloudFrontOriginFacingPrefixList(this, 'CloudFrontOriginFacing');
    this.serverSecurityGroup.addIngressRule(
      ec2.Peer.prefixList(cloudFront.prefixListId),
      ec2.Port.tcp(80),
      'HTTP from CloudFront (VPC origin) to nginx',
    );
    this.serverSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'Node.js release, packages and AWS APIs');
    this.serverSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'Amazon Linux package mirrors');
    this.serverSecurityGroup.addEgressRule(this.databaseSecurityGroup, ec2.Port.tcp(DB_PORT), 'MySQL');
    this.databaseSecurityGroup.addIngressRule(this.serverSecurityGroup, ec2.Port.tcp(DB_PORT), 'MySQL from the auth server');
    nat.allowFrom(this.serverSecurityGroup);

    // RDS creates its log groups on first write; creating them first sets retention without
    // the log-retention custom resource Lambda `cloudwatchLogsRetention` would add.
    const instanceIdentifier = `${config.prefix}-auth`;
    const databaseLogs = DB_LOG_EXPORTS.map(
      (name) =>
        new logs.LogGroup(this, `DatabaseLogs-${name}`, {
          logGroupName: `/aws/rds/instance/${instanceIdentifier}/${name}`,
          retention: logs.RetentionDays.ONE_MONTH,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
    );
    // Retained secrets keep their name, so names carry this stack's id: a new stack with the
    // same prefix never collides with what an earlier one left behind.
    const stackSuffix = Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))));
    const databaseSecret = new rds.DatabaseSecret(this, 'DatabaseCredentials', {
      username: 'alktunes',
      // The target attachment adds host, port and engine; that it adds dbname is undocumented.
      dbname: DB_NAME,
      secretName: `${config.prefix}/auth/database-${stackSuffix}`,
    });
    // The snapshot a protected database leaves is useless without its password.
    databaseSecret.applyRemovalPolicy(config.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
    acceptFindings(databaseSecret, {
      id: 'AwsSolutions-SMG4',
      reason: 'The auth server reads DATABASE_URL once at start; rotation would cut it off until a restart. Rotate by redeploying.',
    });

    // 8.4 is in RDS standard support (8.0 left it in July 2026); past that, fail rather than bill
    // Extended Support. The newest minor aws-cdk-lib knows: RDS then upgrades minors itself
    // (CloudFormation leaves a running instance alone while this value is unchanged), and a new
    // deployment after RDS retires this minor needs it raised here.
    const engine = rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_4_10 });
    this.database = new rds.DatabaseInstance(this, 'Database', {
      engine,
      engineLifecycleSupport: rds.EngineLifecycleSupport.OPEN_SOURCE_RDS_EXTENDED_SUPPORT_DISABLED,
      parameterGroup: new rds.ParameterGroup(this, 'DatabaseParameters', {
        engine,
        description: 'Alktunes auth database: TLS only',
        // A boolean on RDS for MySQL instances: 1 (ON) refuses every connection without TLS.
        parameters: { require_secure_transport: '1' },
      }),
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [this.databaseSecurityGroup],
      port: DB_PORT,
      publiclyAccessible: false,
      credentials: rds.Credentials.fromSecret(databaseSecret),
      databaseName: DB_NAME,
      allocatedStorage: 20,
      maxAllocatedStorage: 100,
      storageType: rds.StorageType.GP3,
      storageEncrypted: true,
      backupRetention: Duration.days(7),
      // RDS deletion protection would leave a failed first deploy stuck in ROLLBACK_FAILED (the
      // rollback cannot delete the instance). The data is kept instead by the Snapshot policy:
      // whenever CloudFormation deletes or replaces the instance, it takes a final snapshot first.
      deletionProtection: false,
      removalPolicy: config.deletionProtection ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      instanceIdentifier,
      cloudwatchLogsExports: [...DB_LOG_EXPORTS],
      autoMinorVersionUpgrade: true,
    });

    for (const logGroup of databaseLogs) this.database.node.addDependency(logGroup);

    const signingKeys = new secretsmanager.Secret(this, 'SigningKeys', {
      secretName: `${config.prefix}/auth/signing-keys-${stackSuffix}`,
      // Access tokens live minutes: a restored deployment can start with new keys.
      removalPolicy: RemovalPolicy.DESTROY,
      description: 'Auth server signing keys file (AUTH_KEYS_FILE); filled during the first deployment',
      // Starts as an empty key set, which the generator fills before the first instance boots.
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ keys: [] }),
        generateStringKey: 'bootstrap',
        excludePunctuation: true,
      },
    });
    const signingKeysGenerator = new SigningKeysGenerator(this, 'SigningKeysGenerator', { secret: signingKeys });

    const customDomain =
      config.authDomain && config.authCertificateArn ? { name: config.authDomain, certificateArn: config.authCertificateArn } : undefined;
    // Without a custom domain the issuer is the distribution's URL, which exists only once the
    // distribution does, and the distribution (its VPC origin) only once the instance does: the
    // instance reads it from this parameter instead of its user data (see resolve_auth_issuer).
    const issuerParameterName = `/${config.prefix}/auth/issuer`;
    this.server = new AuthServerInstance(this, 'Server', {
      vpc: this.vpc,
      securityGroup: this.serverSecurityGroup,
      databaseSecret: this.database.secret!,
      databaseName: DB_NAME,
      signingKeys,
      ami: config.authAmi ?? DEFAULT_AUTH_AMI,
      issuer: customDomain ? { url: `https://${customDomain.name}` } : { parameterName: issuerParameterName },
      cloudFrontPrefixList: cloudFront,
      logGroupName: `/${config.prefix}/auth-server`,
      environment: {
        AUTH_AUDIENCE: config.authAudience,
        REGISTRATION: config.registration,
        REVOCATIONS_TABLE: props.revocationsTable.tableName,
        AWS_REGION: Aws.REGION,
        // The server always admits extension origins; `*` is for the bucket and API only.
        ...(config.corsOrigins.includes('*') ? {} : { CORS_ORIGINS: config.corsOrigins.join(',') }),
      },
    });
    signingKeysGenerator.before(this.server.instance);

    const cdn = new AuthCdn(this, 'Cdn', {
      server: this.server.instance,
      serverGeneration: this.server.generation,
      deletionProtection: config.deletionProtection,
      customDomain,
    });
    this.url = `https://${customDomain?.name ?? cdn.distribution.distributionDomainName}`;
    this.issuer = this.url;
    if (!customDomain) {
      new ssm.StringParameter(this, 'Issuer', {
        parameterName: issuerParameterName,
        stringValue: this.issuer,
        description: "The auth server's AUTH_ISSUER (its CloudFront URL), read by the instance at boot",
      });
    }
    // The API stack imports the CloudFront domain as its issuer until a custom domain is set;
    // CloudFormation refuses to drop an export still in use, so it stays whatever the context.
    this.exportValue(cdn.distribution.distributionDomainName);

    // Writing revocations is all the server does with the table: no reads, updates or deletes.
    iam.Grant.addToPrincipal({
      grantee: this.server.instance,
      actions: ['dynamodb:PutItem'],
      resourceArns: [props.revocationsTable.tableArn],
    });

    new AuthServerAlarms(this, 'Alarms', {
      instance: this.server.instance,
      natInstance: nat.provider.gatewayInstances[0]!,
      logGroup: this.server.logGroup,
      database: this.database,
      topic: props.alarmTopic,
      metricNamespace: `Alktunes/${config.prefix}`,
    });

    this.suppressAcceptedFindings(signingKeys, config);

    new CfnOutput(this, 'AuthUrl', { value: this.url, description: 'Auth server base URL (sign-in, JWKS)' });
    new CfnOutput(this, 'AuthIssuer', { value: this.issuer, description: 'iss of access tokens; the API authorizer trusts it' });
    new CfnOutput(this, 'AuthDistributionDomain', {
      value: cdn.distribution.distributionDomainName,
      description: customDomain ? `Point ${customDomain.name} here (CNAME or Route 53 alias)` : 'CloudFront domain of the auth server',
    });
    new CfnOutput(this, 'AuthLogGroup', { value: this.server.logGroup.logGroupName, description: 'Auth server, nginx and boot logs' });
    new CfnOutput(this, 'AuthInstanceId', { value: this.server.instance.instanceId, description: 'aws ssm start-session --target <id>' });
    new CfnOutput(this, 'DatabaseSecretArn', { value: this.database.secret!.secretArn });
  }

  private suppressAcceptedFindings(signingKeys: secretsmanager.Secret, config: InfraConfig) {
    acceptFindings(
      this.database,
      {
        id: 'AwsSolutions-RDS3',
        reason:
          'Single-AZ keeps the small auth database affordable; 7-day automated backups and (with context deletionProtection) a final snapshot on deletion cover recovery.',
      },
      {
        id: 'AwsSolutions-RDS11',
        reason: 'A non-default port adds no protection here: the security group admits only the auth server.',
      },
    );
    acceptFindings(signingKeys, {
      id: 'AwsSolutions-SMG4',
      reason:
        'Holds the JWT signing keys, made once at deploy and read by each instance when it boots: a rotated secret would not reach running servers.',
    });
    acceptFindings(this.database, {
      id: 'AwsSolutions-RDS10',
      reason: config.deletionProtection
        ? 'RDS deletion protection would strand a failed deploy in ROLLBACK_FAILED; the Snapshot deletion policy keeps a final snapshot (and the secret is retained) instead.'
        : 'Context deletionProtection=false: a disposable environment that must be deletable.',
    });
  }
}
