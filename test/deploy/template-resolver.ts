import type { CfnTemplate } from './cloud-assembly';

/** The pretend account a rehearsal deploys into: ARNs are built with these values. */
export interface PseudoParameters {
  region: string;
  account: string;
  partition: string;
}

export const rehearsalAccount: PseudoParameters = { region: 'us-east-1', account: '123456789012', partition: 'aws' };

export interface TemplateResolverOptions {
  /** Every stack of the app by name (`alktunes-data`…), so `Fn::ImportValue` finds its export. */
  stacks: Record<string, CfnTemplate>;
  pseudo?: PseudoParameters;
  /**
   * Physical names of resources whose template leaves the name to CloudFormation, by
   * `<stack>/<logicalId>`; the rehearsal passes the names of its local stand-ins.
   */
  physicalNames?: Record<string, string>;
  /**
   * Values of deploy-time tokens, by the token's JSON as `tokenKey` writes it (e.g.
   * `{"Fn::GetAtt":["CdnDistribution…","DomainName"]}`), in whichever stack they appear. They win
   * over anything the resolver would work out, and stand in for what it does not model.
   */
  tokenValues?: Record<string, string>;
  /**
   * Throw instead of guessing: then a `Ref` to a resource of a type not modelled here (its `Ref`
   * may be an ARN or an id) and a name the template leaves to CloudFormation need a token value
   * or a physical name. For values a test runs as they are, such as an instance's user data.
   */
  strict?: boolean;
}

/** `Fn::GetAtt`'s `id.attribute` form split at the first dot (attributes such as `Endpoint.Address` hold dots). */
const getAttParts = (arg: unknown): [string, string] => {
  if (typeof arg !== 'string') return arg as [string, string];
  const dot = arg.indexOf('.');
  return [arg.slice(0, dot), arg.slice(dot + 1)];
};

/** The key of `token` in `tokenValues`: its JSON, with `Fn::GetAtt` in its list form. */
export function tokenKey(token: Record<string, unknown>): string {
  return JSON.stringify('Fn::GetAtt' in token ? { 'Fn::GetAtt': getAttParts(token['Fn::GetAtt']) } : token);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface TypeInfo {
  /** The property that fixes the physical name, when the template sets it. */
  nameProperty: string;
  /** `Fn::GetAtt [id, 'Arn']` from the physical name. */
  arn?: (name: string, p: PseudoParameters) => string;
  /** `Ref` when it is not the physical name. */
  ref?: (name: string, p: PseudoParameters) => string;
}

/** The resource types the API and data stacks' grants and environment variables refer to. */
const typeInfo: Record<string, TypeInfo> = {
  'AWS::DynamoDB::Table': { nameProperty: 'TableName', arn: (n, p) => `arn:${p.partition}:dynamodb:${p.region}:${p.account}:table/${n}` },
  'AWS::DynamoDB::GlobalTable': {
    nameProperty: 'TableName',
    arn: (n, p) => `arn:${p.partition}:dynamodb:${p.region}:${p.account}:table/${n}`,
  },
  'AWS::S3::Bucket': { nameProperty: 'BucketName', arn: (n, p) => `arn:${p.partition}:s3:::${n}` },
  'AWS::SQS::Queue': {
    nameProperty: 'QueueName',
    arn: (n, p) => `arn:${p.partition}:sqs:${p.region}:${p.account}:${n}`,
    ref: (n, p) => `https://sqs.${p.region}.amazonaws.com/${p.account}/${n}`,
  },
  'AWS::SNS::Topic': {
    nameProperty: 'TopicName',
    arn: (n, p) => `arn:${p.partition}:sns:${p.region}:${p.account}:${n}`,
    ref: (n, p) => `arn:${p.partition}:sns:${p.region}:${p.account}:${n}`,
  },
  'AWS::Lambda::Function': {
    nameProperty: 'FunctionName',
    arn: (n, p) => `arn:${p.partition}:lambda:${p.region}:${p.account}:function:${n}`,
  },
  'AWS::IAM::Role': { nameProperty: 'RoleName', arn: (n, p) => `arn:${p.partition}:iam::${p.account}:role/${n}` },
  'AWS::Logs::LogGroup': {
    nameProperty: 'LogGroupName',
    arn: (n, p) => `arn:${p.partition}:logs:${p.region}:${p.account}:log-group:${n}:*`,
  },
};

/**
 * Evaluates CloudFormation intrinsics (`Ref`, `Fn::GetAtt`, `Fn::ImportValue`, `Fn::Join`,
 * `Fn::Sub`, `Fn::Split`, `Fn::Select`, `Fn::Base64`) the way a deploy into `pseudo`'s account would, so
 * environment variables, IAM resources and user data read from the synthesized templates become
 * plain strings. An intrinsic or attribute it does not model throws, naming the expression,
 * unless `tokenValues` gives its value.
 */
export class TemplateResolver {
  readonly pseudo: PseudoParameters;

  constructor(private readonly options: TemplateResolverOptions) {
    this.pseudo = options.pseudo ?? rehearsalAccount;
  }

  /** The value of `value` as seen from inside stack `stackName`. */
  resolve(stackName: string, value: unknown): Json {
    if (value === null || typeof value !== 'object') return value as Json;
    if (Array.isArray(value)) return value.map((item) => this.resolve(stackName, item));
    const entries = Object.entries(value as Record<string, unknown>);
    const [key, arg] = entries[0] ?? [];
    if (entries.length !== 1 || !(key === 'Ref' || key!.startsWith('Fn::'))) {
      return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(stackName, v)]));
    }
    const given = this.options.tokenValues?.[tokenKey(value as Record<string, unknown>)];
    if (given !== undefined) return given;
    switch (key) {
      case 'Ref':
        return this.ref(stackName, String(arg));
      case 'Fn::GetAtt':
        return this.getAtt(stackName, ...getAttParts(arg));
      case 'Fn::ImportValue':
        return this.importValue(this.string(stackName, arg));
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown[]];
        return parts.map((part) => this.string(stackName, part)).join(separator);
      }
      case 'Fn::Split': {
        const [separator, source] = arg as [string, unknown];
        return this.string(stackName, source).split(separator);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        const items = this.resolve(stackName, list) as Json[];
        return items[Number(this.resolve(stackName, index))] ?? this.fail(stackName, value, 'index out of range');
      }
      case 'Fn::Sub': {
        const [text, variables = {}] = (typeof arg === 'string' ? [arg] : arg) as [string, Record<string, unknown>?];
        return text.replace(/\$\{(!?)([^}]+)\}/g, (_, literal: string, name: string) => {
          if (literal) return `\${${name}}`;
          if (name in variables) return this.string(stackName, variables[name]);
          return this.string(stackName, name.includes('.') ? { 'Fn::GetAtt': name } : { Ref: name });
        });
      }
      case 'Fn::Base64':
        return Buffer.from(this.string(stackName, arg)).toString('base64');
      default:
        return this.fail(stackName, value, 'unsupported intrinsic');
    }
  }

  /** Like `resolve`, for a value that must come out as a string. */
  string(stackName: string, value: unknown): string {
    const resolved = this.resolve(stackName, value);
    if (typeof resolved !== 'string' && typeof resolved !== 'number') return this.fail(stackName, value, 'not a string');
    return String(resolved);
  }

  /**
   * Physical name of a resource: the one given in `physicalNames`, else its name property, else
   * one made up as CloudFormation makes them (`<stack>-<logicalId>`), which no stand-in answers
   * to; a strict resolver throws instead.
   */
  physicalName(stackName: string, logicalId: string): string {
    const override = this.options.physicalNames?.[`${stackName}/${logicalId}`];
    if (override) return override;
    const resource = this.template(stackName).Resources[logicalId];
    if (!resource) return this.fail(stackName, { Ref: logicalId }, 'no such resource');
    const name = resource.Properties?.[typeInfo[resource.Type]?.nameProperty ?? ''];
    if (name !== undefined) return this.string(stackName, name);
    if (this.options.strict) return this.fail(stackName, { Ref: logicalId }, 'the template leaves its name to CloudFormation');
    return `${stackName}-${logicalId}`;
  }

  private ref(stackName: string, name: string): string {
    const { region, account, partition } = this.pseudo;
    const pseudo: Record<string, string> = {
      'AWS::Region': region,
      'AWS::AccountId': account,
      'AWS::Partition': partition,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stackName,
    };
    if (pseudo[name]) return pseudo[name];
    const type = this.template(stackName).Resources[name]?.Type ?? '';
    if (this.options.strict && !typeInfo[type])
      return this.fail(stackName, { Ref: name }, `Ref of ${type || 'a missing resource'} not modelled`);
    const physical = this.physicalName(stackName, name);
    return typeInfo[type]?.ref?.(physical, this.pseudo) ?? physical;
  }

  private getAtt(stackName: string, logicalId: string, attribute: string): string {
    const type = this.template(stackName).Resources[logicalId]?.Type ?? '';
    const arn = typeInfo[type]?.arn;
    if (attribute !== 'Arn' || !arn)
      return this.fail(stackName, { 'Fn::GetAtt': [logicalId, attribute] }, `attribute of ${type || 'a missing resource'} not modelled`);
    return arn(this.physicalName(stackName, logicalId), this.pseudo);
  }

  private importValue(exportName: string): Json {
    for (const [stackName, template] of Object.entries(this.options.stacks)) {
      for (const output of Object.values(template.Outputs ?? {})) {
        if (output.Export && this.resolve(stackName, output.Export.Name) === exportName) return this.resolve(stackName, output.Value);
      }
    }
    throw new Error(`no stack exports ${exportName}`);
  }

  /** The template of stack `stackName`. */
  template(stackName: string): CfnTemplate {
    const template = this.options.stacks[stackName];
    if (!template) throw new Error(`unknown stack ${stackName}`);
    return template;
  }

  private fail(stackName: string, value: unknown, why: string): never {
    throw new Error(`cannot resolve ${JSON.stringify(value)} in ${stackName}: ${why}`);
  }
}
