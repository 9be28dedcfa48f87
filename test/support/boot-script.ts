import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bootSteps } from '../../infra/constructs/auth-server-boot';

/** The text of the shell function `name() { … }` in a boot script, up to its closing `}` line. */
export function shellFunction(script: string, name: string): string {
  const lines = script.split('\n');
  const start = lines.indexOf(`${name}() {`);
  const end = lines.indexOf('}', start);
  if (start < 0 || end < 0) throw new Error(`the boot script defines no function ${name}`);
  return lines.slice(start, end + 1).join('\n');
}

export interface EnvFileRun {
  /** The env file as the function wrote it. */
  content: string;
  /** Arguments of every `aws` call it made. */
  awsCalls: string[][];
}

/**
 * Runs the boot script's issuer and env-file functions in bash, as the instance does, with `aws`
 * answering `databaseSecret` for the secret read and `issuerParameter` for the issuer's SSM
 * parameter, and `chown` (root-only) a no-op; node is this process's.
 */
export function runEnvFileFunction(
  script: string,
  databaseSecret: Record<string, unknown>,
  issuerParameter = 'https://d111111abcdef8.cloudfront.net',
): EnvFileRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'alktunes-env-'));
  try {
    const envFile = path.join(dir, 'auth.env');
    const calls = path.join(dir, 'aws-calls');
    const stubs = [
      'set -euo pipefail',
      'aws() {',
      '  printf \'%s\\n\' "$*" >> "$AWS_CALLS"',
      '  case "$1 $2" in',
      "    'secretsmanager get-secret-value') printf '%s' \"$DB_SECRET_JSON\" ;;",
      "    'ssm get-parameters') printf '%s\\n' \"$ISSUER_PARAMETER\" ;;",
      '    *) return 1 ;;',
      '  esac',
      '}',
      'chown() { :; }',
    ];
    const steps = [
      shellFunction(script, bootSteps.resolveIssuer),
      shellFunction(script, bootSteps.writeEnv),
      bootSteps.resolveIssuer,
      `${bootSteps.writeEnv} "$1"`,
    ];
    execFileSync('bash', ['-c', [...stubs, ...steps].join('\n'), 'boot', envFile], {
      env: {
        PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
        AWS_CALLS: calls,
        DB_SECRET_JSON: JSON.stringify(databaseSecret),
        ISSUER_PARAMETER: issuerParameter,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const awsCalls = readFileSync(calls, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
    return { content: readFileSync(envFile, 'utf8'), awsCalls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
