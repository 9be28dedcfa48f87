import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { repoRoot } from '../paths';
import { CLOUDFRONT_RANGES_SCRIPT, cloudFrontRangesScript } from './auth-server-cloudfront-ranges';
import { cloudWatchAgentConfig, logrotateConfig, nginxForCloudFront } from './auth-server-files';
import { authServerUnits } from './auth-server-units';
import { ESM_REQUIRE_BANNER } from './esm-require-banner';

const AUTH_DIR = path.join(repoRoot, 'backend/auth');

export interface AuthServerArtifactOptions {
  /** CloudWatch log group the instance's agent ships the server, probe, nginx and boot logs to. */
  logGroupName: string;
}

/**
 * Builds the auth server into `outputDir`: `main.mjs` (one ESM bundle of `backend/auth/main.ts`
 * and its dependencies, with a source map) and the files the instance installs around it: the
 * systemd units, nginx, logrotate and CloudWatch agent configurations. Only native modules are
 * left out (see `sqlite-unavailable.ts`), so the instance needs nothing but Node.js.
 */
export function bundleAuthServer(outputDir: string, options: AuthServerArtifactOptions): void {
  buildSync({
    entryPoints: [path.join(AUTH_DIR, 'main.ts')],
    outfile: path.join(outputDir, 'main.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    sourcemap: true,
    keepNames: true,
    logLevel: 'warning',
    tsconfig: path.join(repoRoot, 'tsconfig.backend.json'),
    alias: { 'better-sqlite3': path.join(repoRoot, 'infra/constructs/sqlite-unavailable.ts') },
    banner: { js: ESM_REQUIRE_BANNER },
  });
  const files: Record<string, string> = {
    ...authServerUnits,
    [CLOUDFRONT_RANGES_SCRIPT]: cloudFrontRangesScript,
    'nginx.conf': nginxForCloudFront,
    'logrotate.conf': logrotateConfig,
    'amazon-cloudwatch-agent.json': cloudWatchAgentConfig(options.logGroupName),
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(outputDir, name), content);
}

/** The built auth server as an S3 asset, uploaded by `cdk deploy` and fetched by the instance at boot. */
export class AuthServerArtifact extends Construct {
  readonly asset: s3assets.Asset;

  constructor(scope: Construct, id: string, options: AuthServerArtifactOptions) {
    super(scope, id);
    this.asset = new s3assets.Asset(this, 'Asset', {
      path: AUTH_DIR,
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never used: local bundling always succeeds or throws, so no Docker is needed.
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
        local: {
          tryBundle(outputDir) {
            bundleAuthServer(outputDir, options);
            return true;
          },
        },
      },
    });
  }
}
