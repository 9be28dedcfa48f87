import type { CfnTemplate } from './cloud-assembly';
import type { TemplateResolver } from './template-resolver';

/** One IAM policy statement with its intrinsics already resolved. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, unknown>;
}

/** What a caller asks IAM for: one action on one resource. */
export interface IamRequest {
  action: string;
  resource: string;
  /**
   * The request's condition keys and their values, as far as they can be read off the call
   * (e.g. `dynamodb:LeadingKeys`). An empty list is a key the request does not carry; a key
   * missing here is unknown.
   */
  context?: Record<string, readonly string[]>;
}

export type Decision = 'allow' | 'implicit-deny' | 'explicit-deny';

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** IAM's wildcards: `*` is any run of characters, `?` exactly one. */
function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

/** Action names are case-insensitive (`s3:getobject` is `s3:GetObject`). */
export function actionMatches(pattern: string, action: string): boolean {
  return glob(pattern, action, true);
}

/**
 * Resource matching as IAM does it: `*` alone matches everything; otherwise the ARN's first five
 * `:`-separated segments are matched one by one (a wildcard never spans a colon there) and the
 * rest, the resource part, as a whole, case-sensitively.
 */
export function resourceMatches(pattern: string, resource: string): boolean {
  if (pattern === '*') return true;
  const split = (arn: string) => {
    const parts = arn.split(':');
    return [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const [p, r] = [split(pattern), split(resource)];
  if (p.length !== r.length) return false;
  return p.every((segment, i) => glob(segment, r[i]!, false));
}

function statementApplies(statement: PolicyStatement, request: IamRequest): boolean {
  const action = statement.NotAction
    ? !list(statement.NotAction).some((p) => actionMatches(p, request.action))
    : list(statement.Action).some((p) => actionMatches(p, request.action));
  const resource = statement.NotResource
    ? !list(statement.NotResource).some((p) => resourceMatches(p, request.resource))
    : list(statement.Resource).some((p) => resourceMatches(p, request.resource));
  return action && resource;
}

/** The string operators the evaluator knows, optionally qualified for multivalued keys. */
const STRING_OPERATOR = /^(?:(ForAllValues|ForAnyValue):)?(StringEquals|StringLike)$/;

/**
 * Whether a statement's Condition holds for the request: every operator and every key in it
 * must (values listed for one key are alternatives). `undefined` when that can't be known
 * offline: an operator the evaluator does not model, or a key the request's context lacks.
 * ForAllValues holds for a request without the key at all, as in IAM (the reason such a
 * condition belongs only beside actions that always carry the key).
 */
function conditionHolds(condition: Record<string, unknown>, request: IamRequest): boolean | undefined {
  let unknown = false;
  for (const [operator, keys] of Object.entries(condition)) {
    const parsed = STRING_OPERATOR.exec(operator);
    for (const [key, expected] of Object.entries(keys as Record<string, string | string[]>)) {
      const values = request.context?.[key];
      if (!parsed || values === undefined) {
        unknown = true;
        continue;
      }
      const [, qualifier, comparison] = parsed;
      const matches = (value: string) => list(expected).some((p) => (comparison === 'StringLike' ? glob(p, value, false) : p === value));
      let holds: boolean | undefined;
      if (qualifier === 'ForAllValues') holds = values.every(matches);
      else if (qualifier === 'ForAnyValue') holds = values.some(matches);
      else holds = values.length === 1 ? matches(values[0]!) : undefined;
      if (holds === false) return false;
      if (holds === undefined) unknown = true;
    }
  }
  return unknown ? undefined : true;
}

/**
 * IAM's identity-policy logic: an explicit Deny wins, then any Allow, else the implicit deny.
 * A condition that can't be decided offline (see `conditionHolds`) leaves its Allow uncounted
 * and its Deny counted: the evaluator errs towards red.
 */
export function evaluate(statements: readonly PolicyStatement[], request: IamRequest): Decision {
  const applying = statements.filter((s) => statementApplies(s, request));
  const holds = (s: PolicyStatement) => (s.Condition ? conditionHolds(s.Condition, request) : true);
  if (applying.some((s) => s.Effect === 'Deny' && holds(s) !== false)) return 'explicit-deny';
  return applying.some((s) => s.Effect === 'Allow' && holds(s) === true) ? 'allow' : 'implicit-deny';
}

/** How much of one Allow statement the observed requests used. */
export interface GrantReview {
  statement: PolicyStatement;
  /** Whether any request used any of its actions on any of its resources. */
  used: boolean;
  /** Action patterns no request used on any of the statement's resources. */
  unusedActions: string[];
  /** Resource patterns no request reached with any of the statement's actions. */
  unusedResources: string[];
}

/**
 * Holds each Allow statement against the requests seen, for a least-privilege review: a grant
 * nobody used, or actions and resources inside a grant nobody used. NotAction / NotResource
 * statements count as `*`.
 */
export function reviewGrants(statements: readonly PolicyStatement[], requests: readonly IamRequest[]): GrantReview[] {
  return statements
    .filter((s) => s.Effect === 'Allow')
    .map((statement) => {
      const actions = statement.NotAction ? ['*'] : list(statement.Action);
      const resources = statement.NotResource ? ['*'] : list(statement.Resource);
      const within = requests.filter((r) => statementApplies(statement, r));
      return {
        statement,
        used: within.length > 0,
        unusedActions: actions.filter((a) => !within.some((r) => actionMatches(a, r.action))),
        unusedResources: resources.filter((p) => !within.some((r) => resourceMatches(p, r.resource))),
      };
    });
}

/**
 * Every statement attached to the execution role of Lambda `functionId`: its role's inline
 * `Policies`, and each `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy` in the stack naming that
 * role, resolved to plain strings. AWS-managed policies (`AWSLambdaBasicExecutionRole`, logs
 * only) are returned by ARN in `managedPolicyArns` and not evaluated.
 */
export function functionPolicy(
  template: CfnTemplate,
  stackName: string,
  functionId: string,
  resolver: TemplateResolver,
): { statements: PolicyStatement[]; managedPolicyArns: string[] } {
  const roleArn = template.Resources[functionId]?.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
  const roleId = roleArn?.['Fn::GetAtt']?.[0];
  if (!roleId) throw new Error(`${functionId} has no role of this stack (Role: ${JSON.stringify(roleArn)})`);
  return rolePolicy(template, stackName, roleId, resolver);
}

/** Every statement attached to EC2 instance `instanceId`'s role, through its instance profile (as `functionPolicy`). */
export function instancePolicy(
  template: CfnTemplate,
  stackName: string,
  instanceId: string,
  resolver: TemplateResolver,
): { statements: PolicyStatement[]; managedPolicyArns: string[] } {
  const profileId = (template.Resources[instanceId]?.Properties?.IamInstanceProfile as { Ref?: string } | undefined)?.Ref;
  const roles = profileId ? (template.Resources[profileId]?.Properties?.Roles as { Ref?: string }[] | undefined) : undefined;
  const roleId = roles?.length === 1 ? roles[0]!.Ref : undefined;
  if (!roleId) throw new Error(`${instanceId} has no instance profile with one role of this stack`);
  return rolePolicy(template, stackName, roleId, resolver);
}

/** Every statement attached to role `roleId` of the stack (see `functionPolicy`). */
function rolePolicy(
  template: CfnTemplate,
  stackName: string,
  roleId: string,
  resolver: TemplateResolver,
): { statements: PolicyStatement[]; managedPolicyArns: string[] } {
  const role = template.Resources[roleId]!;
  const documents: unknown[] = [];
  for (const inline of (role.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? [])
    documents.push(inline.PolicyDocument);

  const attached = new Set<string>();
  const managedPolicyArns: string[] = [];
  for (const arn of (role.Properties?.ManagedPolicyArns as unknown[] | undefined) ?? []) {
    const ref = (arn as { Ref?: string }).Ref;
    if (ref && template.Resources[ref]?.Type === 'AWS::IAM::ManagedPolicy') attached.add(ref);
    else managedPolicyArns.push(resolver.string(stackName, arn));
  }
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy' && resource.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const roles = (resource.Properties?.Roles as { Ref?: string }[] | undefined) ?? [];
    if (roles.some((r) => r.Ref === roleId)) attached.add(id);
  }
  for (const id of attached) documents.push(template.Resources[id]!.Properties?.PolicyDocument);
  const statements = documents.flatMap((document) => {
    const resolved = resolver.resolve(stackName, document) as unknown as { Statement: PolicyStatement | PolicyStatement[] };
    return Array.isArray(resolved.Statement) ? resolved.Statement : [resolved.Statement];
  });
  return { statements, managedPolicyArns };
}
