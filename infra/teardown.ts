import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { readConfig } from './config';
import { repoRoot } from './paths';
import { STACK_PARTS, stackName } from './stacks';

/** What `npm run teardown` does: destroy the stacks, or stop and say why. */
export type TeardownPlan = { action: 'destroy'; command: string[]; summary: string } | { action: 'refuse'; message: string };

/** `-c key=value` / `--context key=value` / `--context=key=value` pairs, as the CDK CLI reads them. */
export function contextArgs(argv: readonly string[]): Record<string, string> {
  const context: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const inline = /^--context=(.*)$/.exec(arg)?.[1];
    const pair = inline ?? (arg === '-c' || arg === '--context' ? argv[++i] : undefined);
    if (pair === undefined) continue;
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`context "${pair}" must be key=value`);
    context[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return context;
}

/** `argv` without the context pairs that set `key`. */
function withoutContext(argv: readonly string[], key: string): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if ((arg === '-c' || arg === '--context') && argv[i + 1]?.startsWith(`${key}=`)) i++;
    else if (!arg.startsWith(`--context=${key}=`)) kept.push(arg);
  }
  return kept;
}

/**
 * Decides from the same context the deploy used (`cdk.json` overridden by `-c`) whether the
 * stacks can really be removed. With deletion protection on, CloudFormation keeps the data
 * (tables, buckets, a final database snapshot), which is rarely what "teardown" means: this
 * stops first and explains the two steps that remove everything.
 */
export function teardownPlan(argv: readonly string[], fileContext: Record<string, unknown>): TeardownPlan {
  const app = new App({ context: { ...fileContext, ...contextArgs(argv) } });
  const config = readConfig(app);
  // Dependents first: CloudFormation keeps an export while a later stack imports it.
  const stacks = [...STACK_PARTS].reverse().map((part) => stackName(config.prefix, part));
  const flags = argv.filter((arg) => arg !== '--force');
  if (config.deletionProtection) {
    const again = [...withoutContext(flags, 'deletionProtection'), '-c', 'deletionProtection=false'].join(' ');
    return {
      action: 'refuse',
      message: [
        `${stacks.join(', ')} are deployed with deletion protection (context deletionProtection=true), so destroying them would keep:`,
        '  - the playlists, tracks, home and revocations tables (deletion protection on, retained)',
        '  - the media bucket with every audio file and cover, and the S3 and CloudFront access-log buckets (retained)',
        '  - a final snapshot of the auth database, and its credentials secret',
        ...(config.searchBackend === 'cloudsearch'
          ? [`  - the CloudSearch domain ${config.prefix}-search (retained, and billed hourly)`]
          : []),
        '',
        'To remove everything, data included:',
        `  1. npm run deploy -- ${again}     (turns the protection off; nothing is deleted yet)`,
        `  2. npm run teardown -- ${again}`,
      ].join('\n'),
    };
  }
  return {
    action: 'destroy',
    command: ['cdk', 'destroy', '--all', '--force', ...flags],
    summary: `Destroying ${stacks.join(', ')} with everything in them: tables, media files, the auth database${config.searchBackend === 'cloudsearch' ? ' and the CloudSearch domain' : ''}.`,
  };
}

async function main(argv: string[]): Promise<number> {
  const cdkJson = JSON.parse(readFileSync(path.join(repoRoot, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  const plan = teardownPlan(argv, cdkJson.context ?? {});
  if (plan.action === 'refuse') {
    console.error(plan.message);
    return 1;
  }
  console.log(plan.summary);
  const [command, ...args] = plan.command;
  const child = spawn(command!, args, { stdio: 'inherit', cwd: repoRoot });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`teardown: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
