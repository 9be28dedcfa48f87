import { Stack } from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import { acceptFindings } from '../nag';
import { Construct } from 'constructs';

/** The AWS-managed prefix list of CloudFront's origin-facing servers, which VPC origins connect from. */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = 'com.amazonaws.global.cloudfront.origin-facing';

export interface CloudFrontPrefixList {
  /** `pl-…`, different in each region. */
  prefixListId: string;
  prefixListArn: string;
}

/**
 * Finds CloudFront's origin-facing prefix list in the deploy region at deploy time (one
 * DescribeManagedPrefixLists call when created), so `cdk synth` needs no AWS account:
 * a context lookup would. AWS keeps the list's entries current; its id never changes.
 */
export class CloudFrontOriginFacingPrefixList extends Construct implements CloudFrontPrefixList {
  readonly prefixListId: string;
  readonly prefixListArn: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const lookup = new cr.AwsCustomResource(this, 'Lookup', {
      resourceType: 'Custom::PrefixListLookup',
      onUpdate: {
        service: 'EC2',
        action: 'DescribeManagedPrefixLists',
        parameters: { Filters: [{ Name: 'prefix-list-name', Values: [CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST] }] },
        physicalResourceId: cr.PhysicalResourceId.of(CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST),
        outputPaths: ['PrefixLists.0.PrefixListId', 'PrefixLists.0.PrefixListArn'],
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    acceptFindings(lookup, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ec2:DescribeManagedPrefixLists supports no resource-level permissions; the lookup only reads the public CloudFront prefix list.',
    });
    const provider = Stack.of(this).node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
    if (provider) {
      acceptFindings(provider, {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'The AwsCustomResource provider only uses AWSLambdaBasicExecutionRole to write its own logs.',
      });
    }
    this.prefixListId = lookup.getResponseField('PrefixLists.0.PrefixListId');
    this.prefixListArn = lookup.getResponseField('PrefixLists.0.PrefixListArn');
  }
}
