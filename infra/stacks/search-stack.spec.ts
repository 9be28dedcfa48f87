import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogIndexFields, catalogSuggesters, catalogWordsScheme } from '../constructs/cloudsearch-domain';
import { nagFindings, synthApp } from '../testing/synth';

/** The SDK call an AwsCustomResource makes on create/update, decoded from its JSON property. */
function sdkCalls(template: Template) {
  return Object.values(template.findResources('Custom::CloudSearch')).map((resource) => {
    const create = resource.Properties.Create as unknown;
    const json = typeof create === 'string' ? create : JSON.stringify(create);
    return json;
  });
}

describe('SearchStack (embedded, the default)', () => {
  let stacks: ReturnType<typeof synthApp>;
  let template: Template;
  beforeAll(() => {
    stacks = synthApp();
    template = Template.fromStack(stacks.search);
  });

  it('creates no CloudSearch domain and points at the snapshot prefix in the media bucket', () => {
    template.resourceCountIs('Custom::CloudSearch', 0);
    template.hasOutput('SearchBackend', { Value: 'embedded' });
    template.hasOutput('SearchIndexLocation', { Value: Match.anyValue() });
    // The backend reaches the admin commands through the outputs file, not a parameter nobody reads.
    template.resourceCountIs('AWS::SSM::Parameter', 0);
  });

  it('passes cdk-nag AwsSolutions', () => {
    expect(nagFindings(stacks.search)).toEqual([]);
    expect(nagFindings(stacks.search, 'warning')).toEqual([]);
  });
});

describe('SearchStack (cloudsearch)', () => {
  let stacks: ReturnType<typeof synthApp>;
  let template: Template;
  beforeAll(() => {
    stacks = synthApp({ searchBackend: 'cloudsearch' });
    template = Template.fromStack(stacks.search);
  });

  it('creates the domain, its analysis scheme, every index field and suggester, then runs IndexDocuments', () => {
    const calls = sdkCalls(template);
    expect(calls.filter((call) => call.includes('"action":"CreateDomain"'))).toHaveLength(1);
    expect(
      calls.filter(
        (call) =>
          call.includes('"action":"DefineAnalysisScheme"') &&
          call.includes(`"AnalysisSchemeName":"${catalogWordsScheme.AnalysisSchemeName}"`),
      ),
    ).toHaveLength(1);
    for (const field of catalogIndexFields) {
      expect(calls.some((call) => call.includes('"DefineIndexField"') && call.includes(`"IndexFieldName":"${field.IndexFieldName}"`))).toBe(
        true,
      );
    }
    for (const suggester of catalogSuggesters) {
      expect(
        calls.some((call) => call.includes('"DefineSuggester"') && call.includes(`"SuggesterName":"${suggester.SuggesterName}"`)),
      ).toBe(true);
    }
    expect(calls.filter((call) => call.includes('"action":"IndexDocuments"'))).toHaveLength(1);
    expect(calls.every((call) => call.includes('"DomainName":"alktunes-search"'))).toBe(true);
  });

  it('indexes artist/title/album as text and ids and the sort key as literals', () => {
    const types = Object.fromEntries(catalogIndexFields.map((field) => [field.IndexFieldName, field.IndexFieldType]));
    expect(types).toMatchObject({
      artist: 'text',
      title: 'text',
      album: 'text',
      track_id: 'literal',
      album_id: 'literal',
      artist_id: 'literal',
      sort_key: 'literal',
    });
  });

  it('searches folded words with neither stemming nor stopwords, and defines that scheme before the fields using it', () => {
    expect(catalogWordsScheme).toMatchObject({ AnalysisSchemeLanguage: 'mul', AnalysisOptions: { Stopwords: '[]' } });
    const searched = catalogIndexFields.filter((field) => field.IndexFieldName.endsWith('_words'));
    expect(searched.map((field) => field.IndexFieldName).sort()).toEqual(['album_words', 'artist_words', 'title_words']);
    for (const field of searched) expect(field.TextOptions?.AnalysisScheme).toBe(catalogWordsScheme.AnalysisSchemeName);
    const resources = template.findResources('Custom::CloudSearch');
    const [schemeId] = Object.entries(resources).find(([, r]) => JSON.stringify(r.Properties.Create).includes('DefineAnalysisScheme'))!;
    const users = Object.values(resources).filter(
      (r) =>
        JSON.stringify(r.Properties.Create).includes(catalogWordsScheme.AnalysisSchemeName) &&
        !JSON.stringify(r.Properties.Create).includes('DefineAnalysisScheme'),
    );
    expect(users).toHaveLength(searched.length);
    for (const user of users) expect(user.DependsOn).toContain(schemeId);
  });

  it('runs IndexDocuments only after the scheme, every field and suggester exist', () => {
    const resources = template.findResources('Custom::CloudSearch');
    const [indexId, index] = Object.entries(resources).find(([, r]) => JSON.stringify(r.Properties.Create).includes('IndexDocuments'))!;
    const parts = Object.keys(resources).filter(
      (id) => id !== indexId && !JSON.stringify(resources[id]!.Properties.Create).includes('CreateDomain'),
    );
    expect(parts).toHaveLength(1 + catalogIndexFields.length + catalogSuggesters.length);
    expect(index.DependsOn).toEqual(expect.arrayContaining(parts));
  });

  it('limits the provider to CloudSearch calls on this one domain', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      for (const action of [statement.Action].flat()) expect(action).toMatch(/^cloudsearch:[A-Za-z]+$/);
      expect(JSON.stringify(statement.Resource)).toContain(':domain/alktunes-search');
    }
  });

  it('names the backend in its outputs', () => {
    template.hasOutput('SearchBackend', { Value: 'cloudsearch' });
    template.hasOutput('SearchDomainName', { Value: 'alktunes-search' });
  });

  /** The domain's custom resource: the one whose create call is CreateDomain. */
  const domainResource = (from: Template) =>
    Object.values(from.findResources('Custom::CloudSearch')).find((r) => JSON.stringify(r.Properties.Create).includes('CreateDomain'))!;

  it('keeps the domain when the stack is deleted under deletion protection', () => {
    expect(domainResource(template).DeletionPolicy).toBe('Retain');
  });

  it('deletes the domain with the stack when deletion protection is off', () => {
    const unprotected = Template.fromStack(synthApp({ searchBackend: 'cloudsearch', deletionProtection: 'false' }).search);
    const domain = domainResource(unprotected);
    expect(domain.DeletionPolicy).toBe('Delete');
    expect(JSON.parse(domain.Properties.Delete as string)).toMatchObject({
      service: 'CloudSearch',
      action: 'DeleteDomain',
      parameters: { DomainName: 'alktunes-search' },
    });
    // The provider may call DeleteDomain on this domain, and its policy outlives the call.
    const policies = unprotected.findResources('AWS::IAM::Policy');
    const [policyId, policy] = Object.entries(policies).find(([, p]) => JSON.stringify(p).includes('cloudsearch:DeleteDomain'))!;
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain(':domain/alktunes-search');
    expect(domain.DependsOn).toContain(policyId);
  });

  it('passes cdk-nag AwsSolutions with every finding fixed or accepted', () => {
    expect(nagFindings(stacks.search)).toEqual([]);
    expect(nagFindings(stacks.search, 'warning')).toEqual([]);
  });
});
