import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stage } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from './config';
import { bundleAuthServer } from './constructs/auth-server-artifact';
import { synthApp } from './testing/synth';

describe('the CDK app', () => {
  it('synthesizes templates that pass CloudFormation schema validation', () => {
    const stacks = synthApp({ searchBackend: 'cloudsearch', '@aws-cdk/core:validateAgainstDefaultRules': true }, { validate: true });
    expect(() => Stage.of(stacks.api)!.synth({ force: true })).not.toThrow();
  }, 120_000);

  it('rejects context it cannot deploy, naming the key to fix', () => {
    expect(() => synthApp({ searchBackend: 'elastic' })).toThrow(/searchBackend/);
    expect(() => synthApp({ authIssuer: 'http://auth.example.com' })).toThrow(/authIssuer.*https/);
    expect(() => synthApp({ deletionProtection: 'maybe' })).toThrow(/deletionProtection/);
    expect(() => synthApp({ prefix: 'Alk Tunes' })).toThrow(/prefix/);
  });

  it('reads comma-separated CORS origins from the command line', () => {
    const { config } = synthApp({ corsOrigins: 'chrome-extension://abc, moz-extension://def' });
    expect(config.corsOrigins).toEqual(['chrome-extension://abc', 'moz-extension://def']);
    expect(readConfig(synthApp().api).corsOrigins).toEqual(['*']);
  });
});

describe('the auth server artifact', () => {
  const outputDir = mkdtempSync(path.join(tmpdir(), 'alktunes-auth-'));
  afterAll(() => rmSync(outputDir, { recursive: true, force: true }));

  it('bundles main.ts with the PM2 and nginx files and no native modules', () => {
    bundleAuthServer(outputDir);
    expect(readdirSync(outputDir).sort()).toEqual(['deploy', 'ecosystem.config.cjs', 'main.mjs', 'main.mjs.map', 'nginx.conf']);
    expect(readdirSync(path.join(outputDir, 'deploy')).sort()).toEqual(['ecosystem.config.cjs', 'nginx.conf']);
    const bundle = readFileSync(path.join(outputDir, 'main.mjs'), 'utf8');
    // better-sqlite3 (native) is replaced by a stub; the bundle must not import it at runtime.
    expect(bundle).toContain('SQLite is not part of the production auth server build');
    expect(bundle).not.toMatch(/^import [^;]*["']better-sqlite3["']/m);
  }, 60_000);
});
