import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { repoRoot } from '../paths';
import { ecosystemForBundle, nginxForCloudFront } from './auth-server-files';

const AUTH_DIR = path.join(repoRoot, 'backend/auth');

/** Files of the artifact besides the bundle, taken as-is from `backend/auth/deploy/`. */
export const AUTH_DEPLOY_FILES = ['ecosystem.config.cjs', 'nginx.conf'] as const;

/**
 * Builds the auth server into `outputDir`: `main.mjs` (one ESM bundle of `backend/auth/main.ts`
 * and its dependencies, with a source map), the PM2 and nginx files that run it behind
 * CloudFront, and the repository's own files under `deploy/`. Only native modules are left
 * out (see `sqlite-unavailable.ts`), so the instance needs nothing but Node.js.
 */
export function bundleAuthServer(outputDir: string): void {
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
    // CommonJS dependencies (mysql2, koa) call require(); an ESM bundle has to define it.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  mkdirSync(path.join(outputDir, 'deploy'), { recursive: true });
  for (const file of AUTH_DEPLOY_FILES) {
    const source = path.join(AUTH_DIR, 'deploy', file);
    if (!existsSync(source)) throw new Error(`The auth server artifact needs ${path.relative(repoRoot, source)}`);
    copyFileSync(source, path.join(outputDir, 'deploy', file));
  }
  writeFileSync(path.join(outputDir, 'ecosystem.config.cjs'), ecosystemForBundle);
  writeFileSync(path.join(outputDir, 'nginx.conf'), nginxForCloudFront);
}

/** The built auth server as an S3 asset, uploaded by `cdk deploy` and fetched by the instance at boot. */
export class AuthServerArtifact extends Construct {
  readonly asset: s3assets.Asset;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.asset = new s3assets.Asset(this, 'Asset', {
      path: AUTH_DIR,
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never used: local bundling always succeeds or throws, so no Docker is needed.
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
        local: {
          tryBundle(outputDir) {
            bundleAuthServer(outputDir);
            return true;
          },
        },
      },
    });
  }
}
