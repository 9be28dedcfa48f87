import type { CfnTemplate, CloudAssemblyReader } from './cloud-assembly';
import { rehearsalAccount, type TemplateResolver } from './template-resolver';

/** A Lambda as the API template deploys it, with its values resolved for the rehearsal account. */
export interface DeployedFunction extends InvokedFunction {
  /** `playlists`, `playlistImport`, … from the construct id in its logical id (`PlaylistsFunction1A2B3C4D`). */
  name: string;
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
    ((p.Targets as { Arn: unknown }[] | undefined) ?? []).map((t) => ({
      expression: String(p.ScheduleExpression),
      functionId: getAttTarget(t.Arn),
    })),
  );
  return of('AWS::Lambda::Function')
    .map(([logicalId]) => ({
      logicalId,
      routeKeys: routes.filter((r) => r.functionId === logicalId).map((r) => r.routeKey),
      schedules: schedules.filter((s) => s.functionId === logicalId).map((s) => s.expression),
    }))
    .filter((fn) => fn.routeKeys.length > 0 || fn.schedules.length > 0);
}

/**
 * The functions of stack `stackName` that the application invokes, each with everything needed to
 * run it as deployed: its bundle, handler, limits and environment, resolved by `resolver`.
 */
export function deployedFunctions(
  assembly: CloudAssemblyReader,
  resolver: TemplateResolver,
  stackName = 'alktunes-api',
): DeployedFunction[] {
  return invokedFunctions(resolver.template(stackName)).map((invoked) => deployedFunction(assembly, resolver, stackName, invoked));
}

/** One Lambda of stack `stackName` with everything needed to run it as deployed (see `deployedFunctions`). */
export function deployedFunction(
  assembly: CloudAssemblyReader,
  resolver: TemplateResolver,
  stackName: string,
  invoked: InvokedFunction,
): DeployedFunction {
  const template = resolver.template(stackName);
  const p = template.Resources[invoked.logicalId]!.Properties ?? {};
  const variables = ((p.Environment as { Variables?: Properties } | undefined)?.Variables ?? {}) as Properties;
  return {
    ...invoked,
    name: camelCase(/^([A-Za-z]+?)Function[0-9A-F]{8}$/.exec(invoked.logicalId)?.[1] ?? invoked.logicalId),
    taskRoot: assembly.assetDir(template, invoked.logicalId),
    handler: String(p.Handler),
    runtime: String(p.Runtime),
    timeoutSeconds: Number(p.Timeout ?? 3),
    memorySize: Number(p.MemorySize ?? 128),
    environment: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolver.string(stackName, value)])),
  };
}

/** `PlaylistImport` → `playlistImport`: the name the function has in the source (`FunctionName`). */
const camelCase = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/**
 * The environment Lambda starts `fn`'s process with: the template's variables and those the
 * runtime sets (region, function name and memory, the role's credentials, here stand-ins), then
 * `overrides`. Nothing is inherited, so a `NODE_OPTIONS` of the caller (tsx's loader, vitest's)
 * cannot leak into the function.
 */
export function lambdaEnvironment(fn: DeployedFunction, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ...fn.environment,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    TZ: ':UTC',
    AWS_REGION: rehearsalAccount.region,
    AWS_DEFAULT_REGION: rehearsalAccount.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_ACCESS_KEY_ID: 'rehearsal',
    AWS_SECRET_ACCESS_KEY: 'rehearsal',
    ...overrides,
  };
}
