import { createHash } from 'node:crypto';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { acceptFindings } from '../nag';
import { Construct } from 'constructs';

/** One CloudSearch index field, in the shape of the `DefineIndexField` API. */
export interface IndexField {
  IndexFieldName: string;
  IndexFieldType: 'text' | 'literal';
  TextOptions?: { ReturnEnabled: boolean; HighlightEnabled: boolean; SortEnabled: boolean; AnalysisScheme: string };
  LiteralOptions?: { SearchEnabled: boolean; FacetEnabled: boolean; ReturnEnabled: boolean; SortEnabled: boolean };
}

/** One analysis scheme, in the shape of the `DefineAnalysisScheme` API. */
export interface AnalysisScheme {
  AnalysisSchemeName: string;
  AnalysisSchemeLanguage: string;
  AnalysisOptions?: { Stopwords?: string; AlgorithmicStemming?: 'none' | 'minimal' | 'light' | 'full' };
}

/**
 * How the searched words are analysed: as they are. The documents already hold them folded
 * (`searchTerms`), and the catalog speaks many languages: English stemming would index
 * "beautiful" as "beauti", which `beautiful*` and `beautiful~2` never reach (CloudSearch does not
 * analyse prefix and fuzzy terms), and English stopwords would drop "of" or "the" from names.
 * `mul` has no algorithmic stemming; the empty list replaces its default stopwords.
 */
export const catalogWordsScheme: AnalysisScheme = {
  AnalysisSchemeName: 'catalog_words',
  AnalysisSchemeLanguage: 'mul',
  AnalysisOptions: { Stopwords: '[]' },
};

const text = (name: string, scheme = '_en_default_', returned = true): IndexField => ({
  IndexFieldName: name,
  IndexFieldType: 'text',
  TextOptions: { ReturnEnabled: returned, HighlightEnabled: returned, SortEnabled: false, AnalysisScheme: scheme },
});

/** A field searches match against: the folded words of a name, never returned. */
const words = (name: string) => text(name, catalogWordsScheme.AnalysisSchemeName, false);

const literal = (name: string, options: { sort?: boolean; facet?: boolean } = {}): IndexField => ({
  IndexFieldName: name,
  IndexFieldType: 'literal',
  LiteralOptions: { SearchEnabled: true, FacetEnabled: options.facet ?? false, ReturnEnabled: true, SortEnabled: options.sort ?? false },
});

/** A field that is only returned with hits, never searched. */
const stored = (name: string): IndexField => ({
  IndexFieldName: name,
  IndexFieldType: 'literal',
  LiteralOptions: { SearchEnabled: false, FacetEnabled: false, ReturnEnabled: true, SortEnabled: false },
});

/**
 * The catalog search documents: artist, title and album as shown (the suggesters' source) and
 * as folded words (what searches match); ids of the hit and its parents; `kind` to filter
 * tracks/albums/artists; `sort_key` for name order; `doc`, the record to answer with (JSON), so
 * the search function needs no table reads. Documents are written by
 * `backend/adapters/search/cloudsearch/documents.ts`.
 */
export const catalogIndexFields: IndexField[] = [
  text('artist'),
  text('title'),
  text('album'),
  words('artist_words'),
  words('title_words'),
  words('album_words'),
  literal('kind', { facet: true }),
  literal('track_id'),
  literal('album_id'),
  literal('artist_id'),
  literal('sort_key', { sort: true }),
  stored('doc'),
];

/** Type-ahead on each text field. */
export const catalogSuggesters = ['artist', 'title', 'album'].map((field) => ({
  SuggesterName: `${field}_suggest`,
  DocumentSuggesterOptions: { SourceField: field, FuzzyMatching: 'low' },
}));

export interface CloudSearchDomainProps {
  domainName: string;
  deletionProtection: boolean;
}

/**
 * An Amazon CloudSearch domain with the catalog's analysis scheme, fields and suggesters.
 * CloudFormation has no CloudSearch resource, so each piece is an SDK call made by an
 * `AwsCustomResource`; the last one runs IndexDocuments whenever any of them changes. That
 * rebuilds the index from the documents already stored: documents written before a field was
 * added lack it until they are sent again (`npm run reindex`).
 */
export class CloudSearchDomain extends Construct {
  readonly domainName: string;
  readonly domainArn: string;

  constructor(scope: Construct, id: string, props: CloudSearchDomainProps) {
    super(scope, id);
    const { domainName } = props;
    this.domainName = domainName;
    this.domainArn = Stack.of(this).formatArn({ service: 'cloudsearch', resource: 'domain', resourceName: domainName });

    const call = (action: string, parameters: Record<string, unknown>, physicalId: string): cr.AwsSdkCall => ({
      service: 'CloudSearch',
      action,
      parameters: { DomainName: domainName, ...parameters },
      physicalResourceId: cr.PhysicalResourceId.of(physicalId),
    });
    const resource = (
      resourceId: string,
      sdk: Partial<Pick<cr.AwsCustomResourceProps, 'onCreate' | 'onUpdate' | 'onDelete'>>,
      actions: string[],
    ) =>
      new cr.AwsCustomResource(this, resourceId, {
        resourceType: 'Custom::CloudSearch',
        ...sdk,
        installLatestAwsSdk: false,
        removalPolicy: props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({ actions: actions.map((action) => `cloudsearch:${action}`), resources: [this.domainArn] }),
        ]),
      });

    const domain = resource('Domain', { onCreate: call('CreateDomain', {}, domainName), onDelete: call('DeleteDomain', {}, domainName) }, [
      'CreateDomain',
      'DeleteDomain',
    ]);

    const schemeId = `${domainName}/${catalogWordsScheme.AnalysisSchemeName}`;
    const scheme = resource(
      'AnalysisScheme',
      {
        onUpdate: call('DefineAnalysisScheme', { AnalysisScheme: catalogWordsScheme }, schemeId),
        onDelete: call('DeleteAnalysisScheme', { AnalysisSchemeName: catalogWordsScheme.AnalysisSchemeName }, schemeId),
      },
      ['DefineAnalysisScheme', 'DeleteAnalysisScheme'],
    );
    const fields = catalogIndexFields.map((field) => {
      const part = resource(
        `Field-${field.IndexFieldName}`,
        {
          onUpdate: call('DefineIndexField', { IndexField: field }, `${domainName}/${field.IndexFieldName}`),
          onDelete: call('DeleteIndexField', { IndexFieldName: field.IndexFieldName }, `${domainName}/${field.IndexFieldName}`),
        },
        ['DefineIndexField', 'DeleteIndexField'],
      );
      // A field can name the scheme only once it exists; the scheme is deleted only after its fields.
      if (field.TextOptions?.AnalysisScheme === catalogWordsScheme.AnalysisSchemeName) part.node.addDependency(scheme);
      return part;
    });
    const parts = [
      scheme,
      ...fields,
      ...catalogSuggesters.map((suggester) =>
        resource(
          `Suggester-${suggester.SuggesterName}`,
          {
            onUpdate: call('DefineSuggester', { Suggester: suggester }, `${domainName}/${suggester.SuggesterName}`),
            onDelete: call('DeleteSuggester', { SuggesterName: suggester.SuggesterName }, `${domainName}/${suggester.SuggesterName}`),
          },
          ['DefineSuggester', 'DeleteSuggester'],
        ),
      ),
    ];
    for (const part of parts) part.node.addDependency(domain);

    // A new physical id per schema makes CloudFormation re-run IndexDocuments after any change.
    const schemaHash = createHash('sha256')
      .update(JSON.stringify([catalogWordsScheme, catalogIndexFields, catalogSuggesters]))
      .digest('hex')
      .slice(0, 16);
    const index = resource('IndexDocuments', { onUpdate: call('IndexDocuments', {}, `${domainName}/${schemaHash}`) }, ['IndexDocuments']);
    for (const part of parts) index.node.addDependency(part);

    this.suppressProviderFindings();
  }

  /** The provider Lambda is one singleton per stack, created by `AwsCustomResource`. */
  private suppressProviderFindings() {
    const provider = Stack.of(this).node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
    if (!provider) return;
    acceptFindings(
      provider,
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'The AwsCustomResource provider only uses AWSLambdaBasicExecutionRole to write its own logs.',
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'The AwsCustomResource provider runtime is chosen by aws-cdk-lib and runs only during deployments.',
      },
    );
  }
}
