import { Validations, type Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
// cdk-nag is CommonJS whose named exports Node's ESM loader cannot detect; take them off the default export.
import cdkNag from 'cdk-nag';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';

export const { AwsSolutionsChecks } = cdkNag;

/** A cdk-nag rule (or one finding, `AwsSolutions-IAM5[Resource::…]`) accepted for a reason. */
export interface AcceptedFinding {
  id: string;
  reason: string;
}

/**
 * Accepts cdk-nag findings on `scope` and everything below it (cdk-nag 3 reads CDK's native
 * `Validations` acknowledgements). Keep the reason specific: it is the review record.
 */
export function acceptFindings(scope: IConstruct, ...findings: AcceptedFinding[]): void {
  Validations.of(scope).acknowledge(...findings);
}

/**
 * How cdk-nag names a resource in a finding id, e.g. `arn:<AWS::Partition>:s3:::bucket/*`.
 * Only stable for values that resolve the same at construction and synthesis (no automatic
 * cross-stack references, which become generated export names later).
 */
export function nagResourceName(stack: Stack, value: string): string {
  return flattenCfnReference(stack.resolve(value));
}
