import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { acceptFindings } from '../nag';

/**
 * The Amazon Linux 2023 release (arm64, kernel 6.1) the auth server runs on, by AMI name: the
 * same name in every region. A pinned image keeps redeploys from replacing the instance each
 * time Amazon publishes a new one (every few weeks). To upgrade, pick a newer release name
 * (`aws ec2 describe-images --owners amazon --filters Name=name,Values='al2023-ami-2023.*-kernel-6.1-arm64'`)
 * and deploy with `-c authAmi=<name>` or change this default: the instance is replaced once,
 * with the same artifact, database and signing keys.
 */
export const DEFAULT_AUTH_AMI = 'al2023-ami-2023.10.20260302.1-kernel-6.1-arm64';

/**
 * The machine image named by context `authAmi`: an AMI id (`ami-…`, valid in one region) is
 * used as is; an AMI name is resolved to the image id of the deploy region at deploy time by
 * a one-off DescribeImages call, which runs again only when the name changes.
 */
export function authServerImage(scope: Construct, ami: string): ec2.IMachineImage {
  const image = (imageId: string): ec2.IMachineImage => ({
    getImage: () => ({ imageId, osType: ec2.OperatingSystemType.LINUX, userData: ec2.UserData.forLinux() }),
  });
  if (ami.startsWith('ami-')) return image(ami);

  const lookup = new cr.AwsCustomResource(scope, 'ImageLookup', {
    resourceType: 'Custom::AmiLookup',
    onUpdate: {
      service: 'EC2',
      action: 'DescribeImages',
      parameters: {
        Owners: ['amazon'],
        Filters: [
          { Name: 'name', Values: [ami] },
          { Name: 'architecture', Values: ['arm64'] },
        ],
        // Amazon deprecates older releases after a while; a pinned one must still resolve.
        IncludeDeprecated: true,
      },
      physicalResourceId: cr.PhysicalResourceId.of(ami),
      outputPaths: ['Images.0.ImageId'],
    },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    installLatestAwsSdk: false,
  });
  acceptFindings(lookup, {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'ec2:DescribeImages supports no resource-level permissions; the lookup only reads public image metadata.',
  });
  // The provider is one singleton Lambda per stack, created by AwsCustomResource.
  const provider = Stack.of(scope).node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  if (provider) {
    acceptFindings(provider, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'The AwsCustomResource provider only uses AWSLambdaBasicExecutionRole to write its own logs.',
    });
  }
  return image(lookup.getResponseField('Images.0.ImageId'));
}
