import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acceptFindings } from '../nag';
import { Construct } from 'constructs';

export interface MediaBucketProps {
  /** Origins that fetch audio and covers directly (the extension). */
  corsOrigins: string[];
  /** On: both buckets are kept when the stack is deleted. Off: emptied and deleted with it. */
  deletionProtection: boolean;
}

/**
 * The private bucket for audio and covers. Listeners only ever get presigned GETs, so the
 * bucket allows no public access and no plain HTTP; CORS exposes the headers a player needs
 * for Range requests (seeking, preloading).
 */
export class MediaBucket extends Construct {
  readonly bucket: s3.Bucket;
  /** The server access log bucket; left empty in a disposable environment (see below). */
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: MediaBucketProps) {
    super(scope, id);
    const removalPolicy = props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    // CloudFormation cannot delete a bucket that holds objects; CDK's custom resource empties it first.
    const autoDeleteObjects = !props.deletionProtection;

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy,
      autoDeleteObjects,
    });
    acceptFindings(this.accessLogs, {
      id: 'AwsSolutions-S1',
      reason: 'This bucket is the server access log destination of the media bucket; logging it into itself would loop.',
    });
    // S3 delivers access logs minutes late: logs of the teardown itself would land in the log
    // bucket after it was emptied and fail its deletion. So a disposable environment writes no
    // access logs, but keeps the (empty) bucket, which a deployment switched from protected to
    // disposable then deletes with the stack like everything else.
    const logging = props.deletionProtection;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      ...(logging && { serverAccessLogsBucket: this.accessLogs, serverAccessLogsPrefix: 'media/' }),
      cors: [
        {
          allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          allowedOrigins: props.corsOrigins,
          allowedHeaders: ['Range'],
          exposedHeaders: ['Accept-Ranges', 'Content-Length', 'Content-Range', 'Content-Type', 'ETag'],
          maxAge: 3600,
        },
      ],
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }],
      removalPolicy,
      autoDeleteObjects,
    });
    if (!logging) {
      acceptFindings(this.bucket, {
        id: 'AwsSolutions-S1',
        reason: 'Context deletionProtection=false: late access logs would keep a log bucket from being deleted with the stack.',
      });
    }
  }
}
