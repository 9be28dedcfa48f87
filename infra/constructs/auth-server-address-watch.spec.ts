import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseEnv } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';
import { afterEach, describe, expect, it } from 'vitest';
import { shellFunction } from '../../test/support/boot-script';
import { parseUnitFile, unitValues } from '../../test/support/systemd-unit';
import { synthApp } from '../testing/synth';
import { ADDRESS_WATCH_SCRIPT, ADDRESS_WATCH_TIMER_UNIT, addressWatchEnvFile, addressWatchScript, addressWatchServiceUnit } from './auth-server-address-watch';
import { authServerBootScript, bootSteps } from './auth-server-boot';
import { authServerPaths } from './auth-server-files';

const allocationId = 'eipalloc-0123456789abcdef0';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs `lines` in bash, each stand-in recording its call (`name args…`) to a file. */
function runBash(lines: string[], env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'alktunes-address-'));
  scratch.push(dir);
  const calls = path.join(dir, 'calls');
  writeFileSync(calls, '');
  const result = spawnSync('bash', ['-c', lines.join('\n').replaceAll('$DIR', dir)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: '/usr/bin:/bin', CALLS: calls, ...env },
  });
  const recorded = readFileSync(calls, 'utf8').split('\n').filter(Boolean);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls: recorded, dir };
}

/**
 * The watch script with `aws` and `curl` stood in for: describe-addresses answers `association`
 * (`None` for an address on no instance), /health answers `health` (a curl exit code), IMDSv2
 * gives a token and then the instance id.
 */
function runWatch(association: string, health = 0) {
  const stubs = [
    'aws() {',
    '  printf \'%s\\n\' "aws $*" >> "$CALLS"',
    '  case "$1 $2" in',
    "    'ec2 describe-addresses') printf '%s\\n' \"$ASSOCIATION\" ;;",
    "    'ec2 associate-address') printf '{\"AssociationId\":\"eipassoc-new\"}\\n' ;;",
    '    *) return 1 ;;',
    '  esac',
    '}',
    'curl() {',
    '  printf \'%s\\n\' "curl $*" >> "$CALLS"',
    '  case "$*" in',
    '    *http://127.0.0.1/health*) return "$HEALTH" ;;',
    "    *'-X PUT http://169.254.169.254/latest/api/token'*) printf 'imds-token' ;;",
    "    *'X-aws-ec2-metadata-token: imds-token'*'/latest/meta-data/instance-id'*) printf 'i-0fedcba9876543210' ;;",
    '    *) return 22 ;;',
    '  esac',
    '}',
  ];
  return runBash([...stubs, addressWatchScript], {
    ASSOCIATION: association,
    HEALTH: String(health),
    ELASTIC_IP_ALLOCATION_ID: allocationId,
    AWS_REGION: 'eu-west-1',
  });
}
const awsCalls = (calls: string[]) => calls.filter((call) => call.startsWith('aws '));

describe('the Elastic IP watch', () => {
  it('takes an address associated with no instance for its own, never reassociating', () => {
    const run = runWatch('None');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(awsCalls(run.calls)).toEqual([
      `aws ec2 describe-addresses --region eu-west-1 --allocation-ids ${allocationId} --query Addresses[0].AssociationId --output text`,
      `aws ec2 associate-address --region eu-west-1 --allocation-id ${allocationId} --instance-id i-0fedcba9876543210`,
    ]);
    expect(JSON.parse(run.stdout)).toEqual({ probe: 'elastic-ip', claimed_by: 'i-0fedcba9876543210' });
  });

  it('leaves an address associated with another instance where it is', () => {
    const run = runWatch('eipassoc-0aaaabbbbccccdddd');
    expect(run.status).toBe(0);
    expect(awsCalls(run.calls)).toEqual([expect.stringContaining('aws ec2 describe-addresses')]);
    // Not even the instance metadata is read.
    expect(run.calls.filter((call) => call.startsWith('curl'))).toEqual([]);
    expect(run.stdout).toBe('');
  });

  it('leaves an unassociated address alone while its own server does not answer', () => {
    const run = runWatch('None', 28);
    expect(run.status).toBe(0);
    expect(awsCalls(run.calls)).toEqual([expect.stringContaining('aws ec2 describe-addresses')]);
    expect(run.calls.filter((call) => call.startsWith('curl'))).toEqual([expect.stringContaining('--max-time 5')]);
  });

  it('fails, without associating, when the address cannot be described', () => {
    const failing = runBash(['aws() { printf \'%s\\n\' "aws $*" >> "$CALLS"; return 255; }', 'curl() { :; }', addressWatchScript], {
      ELASTIC_IP_ALLOCATION_ID: allocationId,
      AWS_REGION: 'eu-west-1',
    });
    expect(failing.status).not.toBe(0);
    expect(awsCalls(failing.calls)).toEqual([expect.stringContaining('aws ec2 describe-addresses')]);
  });

  it('is set up by the boot: its env file holds what the script reads, its timer enabled and started', () => {
    const script = authServerBootScript({
      artifactUrl: 's3://assets/auth.zip',
      databaseSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db',
      databaseName: 'alktunes',
      signingKeysSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:keys',
      elasticIpAllocationId: allocationId,
      region: 'eu-west-1',
      environment: {},
    }).join('\n');
    const startServer = shellFunction(script, bootSteps.startServer).replace(addressWatchEnvFile, '$DIR/elastic-ip.env');
    const recorder = (name: string) => `${name}() { printf '%s\\n' "${name} $*" >> "$CALLS"; }`;
    const run = runBash(['set -euo pipefail', recorder('install'), recorder('systemctl'), startServer, bootSteps.startServer]);
    expect(run.stderr).toBe('');
    expect(parseEnv(readFileSync(path.join(run.dir, 'elastic-ip.env'), 'utf8'))).toEqual({ ELASTIC_IP_ALLOCATION_ID: allocationId, AWS_REGION: 'eu-west-1' });
    expect(addressWatchScript.match(/\$\{?[A-Z_]+/g)?.map((name) => name.replace(/\W/g, '')).sort()).toEqual([
      'AWS_REGION',
      'AWS_REGION',
      'ELASTIC_IP_ALLOCATION_ID',
      'ELASTIC_IP_ALLOCATION_ID',
    ]);
    expect(run.calls).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^systemctl enable .*${ADDRESS_WATCH_TIMER_UNIT}`)),
        expect.stringMatching(new RegExp(`^systemctl start .*${ADDRESS_WATCH_TIMER_UNIT}`)),
      ]),
    );
    const unit = parseUnitFile(addressWatchServiceUnit);
    expect(unitValues(unit, 'Service', 'EnvironmentFile')).toEqual([addressWatchEnvFile]);
    expect(unitValues(unit, 'Service', 'ExecStart')).toEqual([`/usr/bin/bash ${authServerPaths.appDir}/${ADDRESS_WATCH_SCRIPT}`]);
  });

  it("lets the instance describe addresses, the one EC2 read that supports no resource scope", () => {
    const template = Template.fromStack(synthApp().auth);
    const [, profile] = Object.entries(template.findResources('AWS::IAM::InstanceProfile'))[0]!;
    const grants = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
        .filter((statement) => [statement.Action].flat().includes('ec2:DescribeAddresses'))
        .map((statement) => ({ roles: policy.Properties.Roles, statement })),
    );
    expect(grants).toEqual([{ roles: profile.Properties.Roles, statement: { Action: 'ec2:DescribeAddresses', Effect: 'Allow', Resource: '*' } }]);
  });
});
