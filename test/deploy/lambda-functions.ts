import type { CfnTemplate, CloudAssemblyReader } from './cloud-assembly';
import type { TemplateResolver } from './template-resolver';

/** A Lambda as the API template deploys it, with its values resolved for the rehearsal account. */
export interface DeployedFunction extends InvokedFunction {
  /** Folder of its bundled code asset. */
  taskRoot: string;
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memorySize: number;
  /** `Environment.Variables`, intrinsics resolved (table names, bucket name…). */
  environment: Record<string, string>;
}

type Properties = Record<string, unknown>;

/** `{ "Fn::GetAtt": [id, "Arn"] }` → id */
const getAttTarget = (value: unknown) => (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];

/** A Lambda of the template and how the application invokes it. */
export interface InvokedFunction {
  logicalId: string;
  /** HTTP API route keys integrated with this function. */
  routeKeys: string[];
  /** Schedule expressions of the EventBridge rules that target it. */
  schedules: string[];
}

/**
 * The template's Lambda functions that an HTTP API route or an EventBridge rule invokes, read from
 * the template (not from the source's route table, so a route wired to the wrong function shows
 * up). Functions CDK adds for its own custom resources are invoked by neither and left out.
 */
export function invokedFunctions(template: CfnTemplate): InvokedFunction[] {
  const of = (type: string) =>
    Object.entries(template.Resources)
      .filter(([, r]) => r.Type === type)
      .map(([id, r]) => [id, r.Properties ?? {}] as [string, Properties]);
  const integrationTarget = new Map(of('AWS::ApiGatewayV2::Integration').map(([id, p]) => [id, getAttTarget(p.IntegrationUri)]));
  const routes = of('AWS::ApiGatewayV2::Route').map(([, p]) => {
    // Target is `integrations/<Ref to the integration>`.
    const integrationId = /"Ref":"([^"]+)"/.exec(JSON.stringify(p.Target))?.[1] ?? '';
    return { routeKey: String(p.RouteKey), functionId: integrationTarget.get(integrationId) };
  });
  const schedules = of('AWS::Events::Rule').flatMap(([, p]) =>
    ((p.Targets as { Arn: unknown }[] | undefined) ?? []).map((t) => ({ expression: String(p.ScheduleExpression), functionId: getAttTarget(t.Arn) })),
  );
  return of('AWS::Lambda::Function')
    .map(([logicalId]) => ({
      logicalId,
      routeKeys: routes.filter((r) => r.functionId === logicalId).map((r) => r.routeKey),
      schedules: schedules.filter((s) => s.functionId === logicalId).map((s) => s.expression),
    }))
    .filter((fn) => fn.routeKeys.length > 0 || fn.schedules.length > 0);
}

/** Everything needed to run `invoked` as deployed: its bundle, handler, limits and resolved environment. */
export function deployedFunction(assembly: CloudAssemblyReader, template: CfnTemplate, stackName: string, resolver: TemplateResolver, invoked: InvokedFunction): DeployedFunction {
  const p = template.Resources[invoked.logicalId]!.Properties ?? {};
  const variables = ((p.Environment as { Variables?: Properties } | undefined)?.Variables ?? {}) as Properties;
  return {
    ...invoked,
    taskRoot: assembly.assetDir(template, invoked.logicalId),
    handler: String(p.Handler),
    runtime: String(p.Runtime),
    timeoutSeconds: Number(p.Timeout ?? 3),
    memorySize: Number(p.MemorySize ?? 128),
    environment: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolver.string(stackName, value)])),
  };
}
