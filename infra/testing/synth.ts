import { App, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from '../nag';
import { buildStacks, type AlktunesStacks } from '../stacks';

/**
 * The app exactly as `infra/app.ts` builds it, for `Template.fromStack`. To keep specs fast,
 * asset bundling is skipped (`aws:cdk:bundling-stacks: []`; the deploy tests in `test/deploy`
 * and `cdk synth` exercise it) and so is the built-in CloudFormation schema validation (~15 s;
 * `app.spec.ts` runs it once).
 */
export function synthApp(context: Record<string, unknown> = {}, options: { validate?: boolean } = {}): AlktunesStacks {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], ...context },
    builtinCloudFormationValidation: options.validate ?? false,
  });
  return buildStacks(app);
}

/**
 * cdk-nag AwsSolutions findings on `stack` that are neither fixed nor accepted, as
 * `rule: construct path` lines. cdk-nag 3 is a validation plugin rather than an aspect, so
 * it reports through its own result instead of stack annotations.
 */
export function nagFindings(stack: Stack, severity: 'error' | 'warning' = 'error'): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations
    .filter((violation) => violation.severity === severity)
    .flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName}: ${resource.constructPath ?? resource.resourceLogicalId}`),
    );
}
