import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildStacks, STACK_PARTS, stackName, type StackPart } from '../../infra/stacks';

/** A CloudFormation template as `cdk synth` writes it. */
export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
  Conditions?: Record<string, unknown>;
}

/** The logical ids of a template's resources of one type (`AWS::CloudFront::Distribution`). */
export function logicalIdsOf(template: CfnTemplate, type: string): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id]) => id);
}

/** The one resource of `type` in `template`, by logical id; throws when there is none or several. */
export function onlyLogicalIdOf(template: CfnTemplate, type: string): string {
  const ids = logicalIdsOf(template, type);
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0]!;
}

/**
 * Synthesizes the CDK app into `outdir` exactly as `npm run synth` does (assets bundled, asset
 * metadata on), so the deploy rehearsal runs what `cdk deploy` would upload.
 */
export function synthesizeCloudAssembly(outdir: string, context: Record<string, unknown> = {}): void {
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true, ...context } });
  buildStacks(app);
  app.synth();
}

/** Reads the synthesized artifacts of one assembly directory. */
export class CloudAssemblyReader {
  constructor(readonly outdir: string) {
    if (!existsSync(path.join(outdir, 'manifest.json'))) throw new Error(`${outdir} holds no cloud assembly; synthesize it first`);
  }

  /** The template of the stack named `<prefix>-<part>`, e.g. `template('api')`. */
  template(part: StackPart, prefix = 'alktunes'): CfnTemplate {
    return JSON.parse(readFileSync(path.join(this.outdir, `${stackName(prefix, part)}.template.json`), 'utf8')) as CfnTemplate;
  }

  /** Every stack's template by stack name (`alktunes-data`…), as `TemplateResolver` takes them. */
  stacks(prefix = 'alktunes'): Record<string, CfnTemplate> {
    return Object.fromEntries(STACK_PARTS.map((part) => [stackName(prefix, part), this.template(part, prefix)]));
  }

  /** The folder of the bundled asset behind a resource (a Lambda's code, the auth server artifact). */
  assetDir(template: CfnTemplate, logicalId: string): string {
    const assetPath = template.Resources[logicalId]?.Metadata?.['aws:asset:path'];
    if (typeof assetPath !== 'string') throw new Error(`${logicalId} carries no aws:asset:path metadata`);
    return path.join(this.outdir, assetPath);
  }

  /** Folders of a stack's directory file assets (from `<stack>.assets.json`), e.g. the auth server artifact. */
  fileAssetDirs(part: StackPart, prefix = 'alktunes'): string[] {
    const manifest = JSON.parse(readFileSync(path.join(this.outdir, `${stackName(prefix, part)}.assets.json`), 'utf8')) as {
      files?: Record<string, { source: { path: string; packaging: string } }>;
    };
    return Object.values(manifest.files ?? {})
      .filter((file) => file.source.packaging === 'zip')
      .map((file) => path.join(this.outdir, file.source.path));
  }
}
