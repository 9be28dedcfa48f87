import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { InfraConfig } from '../config';
import { CloudSearchDomain } from '../constructs/cloudsearch-domain';

export interface SearchStackProps extends StackProps {
  config: InfraConfig;
  mediaBucket: s3.IBucket;
}

/** Key prefix of the embedded (MiniSearch) index snapshot inside the media bucket. */
export const SEARCH_INDEX_PREFIX = 'search-index/';

/**
 * The catalog search index. `cloudsearch` creates an Amazon CloudSearch domain (closed to new
 * AWS customers since July 2024); `embedded` keeps a MiniSearch snapshot in the media bucket
 * and needs no resources of its own.
 */
export class SearchStack extends Stack {
  readonly domain?: CloudSearchDomain;
  readonly backendParameter: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: SearchStackProps) {
    super(scope, id, props);
    const { config } = props;

    new CfnOutput(this, 'SearchBackend', { value: config.searchBackend, description: 'Search adapter the backend uses' });
    // Where the search Lambda and the import/reindex commands look up which adapter to use.
    this.backendParameter = new ssm.StringParameter(this, 'BackendParameter', {
      parameterName: `/${config.prefix}/search/backend`,
      stringValue: config.searchBackend,
      description: 'Catalog search backend: embedded | cloudsearch',
    });

    if (config.searchBackend === 'cloudsearch') {
      this.domain = new CloudSearchDomain(this, 'CloudSearch', {
        domainName: `${config.prefix}-search`,
        deletionProtection: config.deletionProtection,
      });
      new CfnOutput(this, 'SearchDomainName', { value: this.domain.domainName });
      new CfnOutput(this, 'SearchDomainArn', { value: this.domain.domainArn });
      return;
    }

    new CfnOutput(this, 'SearchIndexLocation', {
      value: `s3://${props.mediaBucket.bucketName}/${SEARCH_INDEX_PREFIX}`,
      description: 'Where the embedded search index snapshot is published',
    });
  }
}
