import { randomUUID } from 'node:crypto';

/** What the stub's configuration service reports about its one domain. */
export interface StubDomain {
  name: string;
  /** `creating`: no endpoints yet, as for the first ~10 minutes of a real domain. */
  state: 'creating' | 'active';
}

const NS = 'http://cloudsearch.amazonaws.com/doc/2013-01-01/';

/**
 * Answers an Amazon CloudSearch configuration request (AWS Query protocol: a form-encoded
 * `POST /` with `Action` and `Version`, answered in XML) as a real service would for
 * `DescribeDomains`: the named domains that exist, with endpoints as bare host names once the
 * domain is active; unknown names are left out, not an error. Any other action is refused.
 */
export function answerConfigRequest(form: URLSearchParams, domain: StubDomain, host: string): { status: number; xml: string } {
  const requestId = `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>`;
  if (form.get('Action') !== 'DescribeDomains' || form.get('Version') !== '2013-01-01') {
    const error = `<Error><Type>Sender</Type><Code>InvalidAction</Code><Message>The action ${form.get('Action')} is not valid for this web service.</Message></Error>`;
    return { status: 400, xml: `<ErrorResponse xmlns="${NS}">${error}<RequestId>${randomUUID()}</RequestId></ErrorResponse>` };
  }
  const wanted = [...form.entries()].filter(([key]) => /^DomainNames\.member\.\d+$/.test(key)).map(([, value]) => value);
  const members = wanted.includes(domain.name) || wanted.length === 0 ? [domainStatus(domain, host)] : [];
  const list = `<DomainStatusList>${members.join('')}</DomainStatusList>`;
  return {
    status: 200,
    xml: `<DescribeDomainsResponse xmlns="${NS}"><DescribeDomainsResult>${list}</DescribeDomainsResult>${requestId}</DescribeDomainsResponse>`,
  };
}

function domainStatus(domain: StubDomain, host: string): string {
  const active = domain.state === 'active';
  const endpoints = active
    ? `<DocService><Endpoint>${host}</Endpoint></DocService><SearchService><Endpoint>${host}</Endpoint></SearchService>`
    : '<DocService/><SearchService/>';
  return (
    `<member><DomainId>123456789012/${domain.name}</DomainId><DomainName>${domain.name}</DomainName>` +
    `<ARN>arn:aws:cloudsearch:us-east-1:123456789012:domain/${domain.name}</ARN>` +
    `<Created>${active}</Created><Deleted>false</Deleted>${endpoints}` +
    `<RequiresIndexDocuments>false</RequiresIndexDocuments><Processing>${!active}</Processing>` +
    `<SearchInstanceType>search.small</SearchInstanceType><SearchPartitionCount>1</SearchPartitionCount>` +
    `<SearchInstanceCount>1</SearchInstanceCount></member>`
  );
}
