import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { InfraConfig } from '../config';
import { CloudSearchDomain } from '../constructs/cloudsearch-domain';
import { SEARCH_INDEX_PREFIX } from '../../backend/adapters/search/embedded/snapshot-store.s3';

export interface SearchStackProps extends StackProps {
  config: InfraConfig;
  mediaBucket: s3.IBucket;
}

/**
 * The catalog search index. `cloudsearch` creates an Amazon CloudSearch domain (closed to new
 * AWS customers since July 2024), deleted with the stack unless deletion protection is on;
 * `embedded` keeps a snapshot of its own in-memory index in the media bucket and needs no resources of its own.
 */
export class SearchStack extends Stack {
  readonly domain?: CloudSearchDomain;

  constructor(scope: Construct, id: string, props: SearchStackProps) {
    super(scope, id, props);
    const { config } = props;

    // The import and reindex commands read the backend and the domain from the outputs file.
    new CfnOutput(this, 'SearchBackend', { value: config.searchBackend, description: 'Search adapter the backend uses' });

    if (config.searchBackend === 'cloudsearch') {
      this.domain = new CloudSearchDomain(this, 'CloudSearch', {
        domainName: `${config.prefix}-search`,
        deletionProtection: config.deletionProtection,
      });
      new CfnOutput(this, 'SearchDomainName', {
        value: this.domain.domainName,
        description: 'CloudSearch domain; its endpoints are looked up by name (DescribeDomains), never copied',
      });
      new CfnOutput(this, 'SearchDomainArn', { value: this.domain.domainArn });
      return;
    }

    new CfnOutput(this, 'SearchIndexLocation', {
      value: `s3://${props.mediaBucket.bucketName}/${SEARCH_INDEX_PREFIX}`,
      description: 'Where the embedded search index snapshot is published',
    });
  }
}
