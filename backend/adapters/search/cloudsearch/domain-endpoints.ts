/** Where a CloudSearch domain answers searches and takes documents. */
export interface CloudSearchEndpoints {
  /** e.g. `https://search-alktunes-search-….us-east-1.cloudsearch.amazonaws.com` */
  search: string;
  /** e.g. `https://doc-alktunes-search-….us-east-1.cloudsearch.amazonaws.com` */
  document: string;
}

export interface DomainLookup {
  domainName: string;
  region: string;
  /** The configuration service of a local stand-in; absent in the cloud (the SDK resolves it). */
  configEndpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The domain exists but cannot be used (yet); the message says what to do. */
export class DomainNotReadyError extends Error {
  override name = 'DomainNotReadyError';
}

/**
 * Looks up a domain's endpoints with `DescribeDomains`. CloudSearch reports them as bare host
 * names, and only once the domain is active (~10 minutes after it was created); they are
 * turned into URLs here so nobody has to copy them into configuration.
 */
export async function describeDomainEndpoints(lookup: DomainLookup): Promise<CloudSearchEndpoints> {
  // Loaded on demand: the embedded search never needs the configuration client.
  const { CloudSearchClient, DescribeDomainsCommand } = await import('@aws-sdk/client-cloudsearch');
  const client = new CloudSearchClient({
    region: lookup.region,
    ...(lookup.configEndpoint ? { endpoint: lookup.configEndpoint } : {}),
    ...(lookup.credentials ? { credentials: lookup.credentials } : {}),
  });
  try {
    const out = await client.send(new DescribeDomainsCommand({ DomainNames: [lookup.domainName] }));
    const domain = out.DomainStatusList?.find((status) => status.DomainName === lookup.domainName);
    if (!domain || domain.Deleted) {
      throw new DomainNotReadyError(
        `CloudSearch domain ${lookup.domainName} does not exist in ${lookup.region}; deploy with -c searchBackend=cloudsearch`,
      );
    }
    const search = domain.SearchService?.Endpoint;
    const document = domain.DocService?.Endpoint;
    if (!search || !document) {
      throw new DomainNotReadyError(
        `CloudSearch domain ${lookup.domainName} has no endpoints yet: it is still being created (about 10 minutes after deploy); try again shortly`,
      );
    }
    // A local stand-in speaks plain HTTP; a real domain only HTTPS.
    const scheme = lookup.configEndpoint?.startsWith('http://') ? 'http' : 'https';
    return { search: `${scheme}://${search}`, document: `${scheme}://${document}` };
  } finally {
    client.destroy();
  }
}
