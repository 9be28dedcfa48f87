import { tables } from '../../backend/adapters/dynamodb/tables';
import type { IamRequest } from './iam-policy';
import type { PseudoParameters } from './template-resolver';

/** One HTTP request an AWS SDK client (or a client holding a presigned URL) sent to a service. */
export interface RecordedCall {
  service: 'dynamodb' | 's3' | 'secretsmanager';
  method: string;
  /** Path and query string as sent. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The service's answer; IAM is evaluated before it, so failed calls count too. */
  status?: number;
}

/**
 * The IAM checks AWS makes for one recorded request: usually one (action, resource), several for
 * batches and transactions (one per table or item). Throws on a request it has no rule for, so a
 * new kind of SDK call makes the contract red until it is mapped, never silently unchecked.
 */
export function iamRequestsOf(call: RecordedCall, pseudo: PseudoParameters): IamRequest[] {
  if (call.service === 'secretsmanager') return secretsManagerRequests(call);
  return call.service === 'dynamodb' ? dynamoRequests(call, pseudo) : s3Requests(call, pseudo);
}

/** A short human form of a call for failure messages, e.g. `DynamoDB GetItem alktunes-home`. */
export function describeCall(call: RecordedCall): string {
  if (call.service === 'dynamodb') {
    const target = String(call.headers['x-amz-target'] ?? '').split('.')[1];
    const body = parseJson(call);
    const members = (body.TransactItems ?? []).flatMap((item) => Object.values(item).map((member) => member.TableName));
    const tables = body.TableName ?? [...new Set([...Object.keys(body.RequestItems ?? {}), ...members])].join(',');
    return `DynamoDB ${target} ${tables}${body.IndexName ? `/index/${body.IndexName}` : ''}`;
  }
  if (call.service === 'secretsmanager') {
    const { SecretId } = JSON.parse(call.body.toString('utf8') || '{}') as { SecretId?: string };
    return `Secrets Manager ${String(call.headers['x-amz-target'] ?? '').split('.')[1]} ${SecretId}`;
  }
  return `S3 ${call.method} ${call.url.split('?')[0]}`;
}

/** Operations whose IAM action is their own name on the table (or index) in `TableName`. */
const singleTableOperations = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'DescribeTable',
  'CreateTable',
  'DeleteTable',
  'UpdateTable',
  'DescribeTimeToLive',
  'UpdateTimeToLive',
  'DescribeContinuousBackups',
]);

/** The item-level action IAM checks for each member of a transaction. */
const transactionActions: Record<string, string> = {
  Get: 'dynamodb:GetItem',
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

type Item = Record<string, { S?: string; N?: string; B?: string }>;

interface DynamoBody {
  TableName?: string;
  IndexName?: string;
  Key?: Item;
  Item?: Item;
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
  RequestItems?: Record<string, { Keys?: Item[] } | { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>;
  TransactItems?: Record<string, { TableName: string }>[];
}

/** The partition key every table has (tables.ts): `dynamodb:LeadingKeys` are its values in a request. */
const PARTITION_KEY = (() => {
  const names = new Set(tables.map((table) => table.partitionKey.name));
  if (names.size !== 1) throw new Error('tables with different partition keys: map dynamodb:LeadingKeys per table');
  return [...names][0]!;
})();

const keyValue = (item: Item | undefined) => {
  const value = item?.[PARTITION_KEY];
  return value?.S ?? value?.N ?? value?.B;
};

/**
 * The partition key values a single-table request touches, as IAM fills `dynamodb:LeadingKeys`:
 * its Key or Item, the equality on the partition key of a Query's key condition, none for a
 * Scan. Undefined where it can't be read (a Query on an index, whose partition key is another).
 */
function leadingKeysOf(operation: string, body: DynamoBody): string[] | undefined {
  if (operation === 'Scan') return [];
  if (operation === 'Query') {
    if (body.IndexName || !body.KeyConditionExpression) return undefined;
    const name = (token: string) => (token.startsWith('#') ? body.ExpressionAttributeNames?.[token] : token);
    for (const [, left, right] of body.KeyConditionExpression.matchAll(/([#:\w]+)\s*=\s*([#:\w]+)/g)) {
      const [attribute, placeholder] = left!.startsWith(':') ? [right!, left!] : [left!, right!];
      if (name(attribute) !== PARTITION_KEY || !placeholder.startsWith(':')) continue;
      const value = keyValue({ [PARTITION_KEY]: body.ExpressionAttributeValues?.[placeholder] ?? {} });
      return value === undefined ? undefined : [value];
    }
    return undefined;
  }
  const value = keyValue(body.Key ?? body.Item);
  return value === undefined ? undefined : [value];
}

/** `{ 'dynamodb:LeadingKeys': keys }`, or nothing when the keys are unknown. */
const leadingKeysContext = (keys: (string | undefined)[] | undefined): Pick<IamRequest, 'context'> =>
  keys && keys.every((key) => key !== undefined) ? { context: { 'dynamodb:LeadingKeys': [...new Set(keys as string[])] } } : {};

function parseJson(call: RecordedCall): DynamoBody {
  return call.body.length ? (JSON.parse(call.body.toString('utf8')) as DynamoBody) : {};
}

function dynamoRequests(call: RecordedCall, { region, account, partition }: PseudoParameters): IamRequest[] {
  const target = String(call.headers['x-amz-target'] ?? '');
  const operation = /^DynamoDB_\d{8}\.(\w+)$/.exec(target)?.[1];
  if (!operation) throw new Error(`not a DynamoDB JSON request: X-Amz-Target "${target}"`);
  const body = parseJson(call);
  // The SDK accepts a table ARN wherever a name goes.
  const tableArn = (name: string) => (name.startsWith('arn:') ? name : `arn:${partition}:dynamodb:${region}:${account}:table/${name}`);

  if (singleTableOperations.has(operation)) {
    if (!body.TableName) throw new Error(`DynamoDB ${operation} without TableName`);
    const resource = body.IndexName ? `${tableArn(body.TableName)}/index/${body.IndexName}` : tableArn(body.TableName);
    return [{ action: `dynamodb:${operation}`, resource, ...leadingKeysContext(leadingKeysOf(operation, body)) }];
  }
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
    return Object.entries(body.RequestItems ?? {}).map(([table, requests]) => {
      const keys = Array.isArray(requests)
        ? requests.map((request) => keyValue(request.DeleteRequest?.Key ?? request.PutRequest?.Item))
        : requests.Keys?.map(keyValue);
      return { action: `dynamodb:${operation}`, resource: tableArn(table), ...leadingKeysContext(keys) };
    });
  }
  if (operation === 'TransactGetItems' || operation === 'TransactWriteItems') {
    return (body.TransactItems ?? []).flatMap((item) =>
      Object.entries(item).map(([kind, member]) => {
        const action = transactionActions[kind];
        if (!action) throw new Error(`DynamoDB ${operation} member "${kind}" has no IAM mapping`);
        return { action, resource: tableArn(member.TableName) };
      }),
    );
  }
  if (operation === 'ListTables') return [{ action: 'dynamodb:ListTables', resource: '*' }];
  throw new Error(`DynamoDB ${operation} has no IAM mapping yet; add one in iam-actions.ts`);
}

/** Operations on one secret named in `SecretId`, whose IAM action is their own name. */
const secretOperations = new Set(['GetSecretValue', 'PutSecretValue', 'DescribeSecret', 'UpdateSecret']);

function secretsManagerRequests(call: RecordedCall): IamRequest[] {
  const target = String(call.headers['x-amz-target'] ?? '');
  const operation = /^secretsmanager\.(\w+)$/.exec(target)?.[1];
  if (!operation || !secretOperations.has(operation))
    throw new Error(`Secrets Manager "${target}" has no IAM mapping yet; add one in iam-actions.ts`);
  const { SecretId } = JSON.parse(call.body.toString('utf8') || '{}') as { SecretId?: string };
  // IAM checks the secret's full ARN, whose random suffix only the ARN itself carries.
  if (!SecretId?.startsWith('arn:'))
    throw new Error(`Secrets Manager ${operation} must name its secret by ARN to be checked, got ${SecretId}`);
  return [{ action: `secretsmanager:${operation}`, resource: SecretId }];
}

/** Query parameters that carry a signature, a checksum mode or the SDK's operation hint: not subresources. */
const isPlainParameter = (name: string) => /^(x-amz-|x-id$|response-)/i.test(name);

/** Bucket-level reads that are all `s3:ListBucket` (ListObjects, ListObjectsV2, HeadBucket). */
const listParameters = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'marker',
  'continuation-token',
  'start-after',
  'encoding-type',
  'fetch-owner',
]);

function s3Requests(call: RecordedCall, { partition }: PseudoParameters): IamRequest[] {
  const url = new URL(call.url, 'http://s3.local');
  // Path-style addressing (the SDK's forcePathStyle against emulators): /<bucket>/<key…>
  const [, bucket = '', ...keyParts] = url.pathname.split('/');
  const key = keyParts.map(decodeURIComponent).join('/');
  const bucketArn = `arn:${partition}:s3:::${decodeURIComponent(bucket)}`;
  const subresources = [...url.searchParams.keys()].filter((name) => !isPlainParameter(name));
  const has = (name: string) => subresources.includes(name);
  const unmapped = (): never => {
    throw new Error(`S3 ${call.method} ${url.pathname}?${subresources.join('&')} has no IAM mapping yet; add one in iam-actions.ts`);
  };
  const method = call.method.toUpperCase();

  if (!bucket) return method === 'GET' ? [{ action: 's3:ListAllMyBuckets', resource: '*' }] : unmapped();
  if (!key) {
    if (method === 'GET' && has('location')) return [{ action: 's3:GetBucketLocation', resource: bucketArn }];
    if (method === 'GET' && has('uploads')) return [{ action: 's3:ListBucketMultipartUploads', resource: bucketArn }];
    if ((method === 'GET' || method === 'HEAD') && subresources.every((name) => listParameters.has(name))) {
      return [{ action: 's3:ListBucket', resource: bucketArn }];
    }
    if (method === 'PUT' && !subresources.length) return [{ action: 's3:CreateBucket', resource: bucketArn }];
    if (method === 'DELETE' && !subresources.length) return [{ action: 's3:DeleteBucket', resource: bucketArn }];
    if (method === 'POST' && has('delete')) {
      // DeleteObjects is checked as s3:DeleteObject on each key it names.
      const keys = [...call.body.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => unescapeXml(m[1]!));
      return keys.map((k) => ({ action: 's3:DeleteObject', resource: `${bucketArn}/${k}` }));
    }
    return unmapped();
  }

  const objectArn = `${bucketArn}/${key}`;
  if (subresources.some((name) => !['uploads', 'uploadId', 'partNumber', 'versionId'].includes(name))) return unmapped();
  if (has('versionId')) return unmapped(); // the *Version actions; nothing here uses versions
  if (method === 'GET' || method === 'HEAD') {
    return [{ action: has('uploadId') ? 's3:ListMultipartUploadParts' : 's3:GetObject', resource: objectArn }];
  }
  if (method === 'PUT' || method === 'POST') {
    const requests = [{ action: 's3:PutObject', resource: objectArn }];
    const copySource = call.headers['x-amz-copy-source'];
    if (typeof copySource === 'string') {
      const source = decodeURIComponent(copySource.replace(/^\//, '').split('?')[0]!);
      requests.push({ action: 's3:GetObject', resource: `arn:${partition}:s3:::${source}` });
    }
    return requests;
  }
  if (method === 'DELETE') return [{ action: has('uploadId') ? 's3:AbortMultipartUpload' : 's3:DeleteObject', resource: objectArn }];
  return unmapped();
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
