import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acceptFindings } from '../nag';
import { Construct } from 'constructs';

export interface AuthCdnProps {
  /** Public DNS name of the auth server (nginx on port 80). */
  originDomain: string;
  deletionProtection: boolean;
}

/**
 * CloudFront in front of the auth server: a trusted HTTPS URL without a custom domain.
 * Nothing is cached; every method, header, cookie and query string reaches the origin.
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
    });
    acceptFindings(logs, {
      id: 'AwsSolutions-S1',
      reason: 'This bucket is the CloudFront access log destination; logging it into itself would loop.',
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Alktunes auth server',
      defaultBehavior: {
        origin: new origins.HttpOrigin(props.originDomain, {
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY,
          httpPort: 80,
          readTimeout: Duration.seconds(30),
        }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        // Includes CloudFront-Viewer-Address, the client IP nginx hands to the app's rate limits.
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_AND_CLOUDFRONT_2022,
      },
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'auth/',
    });
    acceptFindings(
      this.distribution,
      {
        id: 'AwsSolutions-CFR4',
        reason: 'The default *.cloudfront.net certificate cannot pin a TLS policy; set context authIssuer with a custom domain for TLSv1.2_2021.',
      },
      {
        id: 'AwsSolutions-CFR5',
        reason: 'The origin has no certificate of its own (no domain); CloudFront reaches nginx over HTTP on port 80.',
      },
      { id: 'AwsSolutions-CFR1', reason: 'Listeners sign in from anywhere; there is no country to exclude.' },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'The auth server rate-limits sign-in and refresh itself; a web ACL would cost more than the whole auth stack.',
      },
    );
  }
}
