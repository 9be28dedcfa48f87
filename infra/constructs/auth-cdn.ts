import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acceptFindings } from '../nag';
import { Construct } from 'constructs';

export interface AuthCdnProps {
  /** The auth server instance (nginx on port 80), in a private subnet: CloudFront's VPC origin. */
  server: ec2.IInstance;
  /** Changes whenever the instance is replaced (`AuthServerInstance.generation`): names its VPC origin. */
  serverGeneration: string;
  /** Off: the log bucket is emptied and deleted with the stack. On: it is kept. */
  deletionProtection: boolean;
  /**
   * The auth server's own domain (contexts `authDomain` and `authCertificateArn`): CloudFront
   * answers for it with that ACM certificate, which CloudFront requires to be in us-east-1.
   * The admin points the name at the distribution (CNAME, or a Route 53 alias).
   */
  customDomain?: { name: string; certificateArn: string };
}

/**
 * CloudFront in front of the auth server: a trusted HTTPS URL without a custom domain, and the
 * only way in. The origin is a VPC origin: CloudFront reaches the instance's private address
 * from inside the VPC over AWS's network, never across the internet, and nothing else can
 * reach it. That leg is HTTP: CloudFront accepts only a publicly trusted certificate for the
 * origin's name (for VPC origins too), and a deployment without a domain of its own has no name
 * such a certificate could be issued for. Nothing is cached; every method, header, cookie and
 * query string reaches the origin.
 */
export class AuthCdn extends Construct {
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: AuthCdnProps) {
    super(scope, id);

    const logs = new s3.Bucket(this, 'Logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.deletionProtection,
    });
    acceptFindings(logs, {
      id: 'AwsSolutions-S1',
      reason: 'This bucket is the CloudFront access log destination; logging it into itself would loop.',
    });
    // CloudFront delivers logs late: logs of the last requests would land in the log bucket after
    // it was emptied and fail its deletion. So a disposable environment logs nothing, but keeps
    // the (empty) bucket, which a deployment switched from protected then deletes with the stack.
    const logging = props.deletionProtection;

    // One VPC origin per instance. CloudFront refuses to update a VPC origin that a distribution
    // uses (409, aws/aws-cdk#35765), so one pointed at a replacement instance would fail every
    // server redeploy. Named, and given a logical id, after the instance's generation instead:
    // CloudFormation creates the new origin, moves the distribution to it, and deletes the old
    // one in its cleanup. Creating a VPC origin takes about 15 minutes.
    const serverOrigin = new cloudfront.VpcOrigin(this, 'ServerOrigin', {
      endpoint: cloudfront.VpcOriginEndpoint.ec2Instance(props.server),
      vpcOriginName: `${Stack.of(this).stackName}-server-${props.serverGeneration}`,
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY,
      httpPort: 80,
    });
    // The construct id cannot carry the generation: it is known only at synthesis.
    (serverOrigin.node.defaultChild as cloudfront.CfnVpcOrigin).overrideLogicalId(
      Lazy.uncachedString({ produce: (context) => `CdnServerOrigin${String(context.resolve(props.serverGeneration))}` }),
    );

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Alktunes auth server',
      defaultBehavior: {
        origin: origins.VpcOrigin.withVpcOrigin(serverOrigin, { readTimeout: Duration.seconds(30) }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        // Includes CloudFront-Viewer-Address, the client IP nginx hands to the app's rate limits.
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_AND_CLOUDFRONT_2022,
      },
      ...(props.customDomain && {
        domainNames: [props.customDomain.name],
        certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
        minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      }),
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      ...(logging && { enableLogging: true, logBucket: logs, logFilePrefix: 'auth/' }),
    });
    if (!logging) {
      acceptFindings(this.distribution, {
        id: 'AwsSolutions-CFR3',
        reason: 'Context deletionProtection=false: late access logs would keep a log bucket from being deleted with the stack.',
      });
    }
    if (!props.customDomain) {
      acceptFindings(this.distribution, {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate cannot pin a TLS policy; contexts authDomain and authCertificateArn give TLSv1.2_2021.',
      });
    }
    acceptFindings(
      this.distribution,
      {
        id: 'AwsSolutions-CFR5',
        reason:
          "A VPC origin, reached over AWS's network inside the VPC; HTTPS to it would need a publicly trusted certificate for its name, which a private instance without a domain of its own cannot have.",
      },
      { id: 'AwsSolutions-CFR1', reason: 'Listeners sign in from anywhere; there is no country to exclude.' },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'The auth server rate-limits sign-in and refresh itself; a web ACL would cost more than the whole auth stack.',
      },
    );
  }
}
