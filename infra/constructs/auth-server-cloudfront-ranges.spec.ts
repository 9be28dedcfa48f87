import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseUnitFile, unitValues } from '../../test/support/systemd-unit';
import {
  CLOUDFRONT_RANGES_SCRIPT,
  cloudFrontRangesEnvFile,
  cloudFrontRangesScript,
  cloudFrontRangesServiceUnit,
} from './auth-server-cloudfront-ranges';
import { authServerPaths } from './auth-server-files';

const prefixListId = 'pl-4fa04526';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface WatchRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** `aws …`, `nginx …` and `systemctl …` calls, in order. */
  calls: string[];
  /** The ranges file afterwards, or undefined when there is none. */
  ranges: string | undefined;
  /** Every file in the ranges file's directory afterwards. */
  files: string[];
}

/**
 * The watch script with `aws` answering `entries` (the CLI's text output: tab-separated CIDRs,
 * `!` for a failing call), `systemctl is-active nginx` answering `nginxRunning`, and the ranges
 * file starting as `existing`.
 */
function runWatch(entries: string, { nginxRunning = true, existing }: { nginxRunning?: boolean; existing?: string } = {}): WatchRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'alktunes-ranges-'));
  scratch.push(dir);
  const calls = path.join(dir, 'calls');
  const ranges = path.join(dir, 'cloudfront-origin-facing.conf');
  writeFileSync(calls, '');
  if (existing !== undefined) writeFileSync(ranges, existing);
  const stubs = [
    'aws() { printf \'%s\\n\' "aws $*" >> "$CALLS"; if [ "$ENTRIES" = ! ]; then return 255; fi; printf \'%s\\n\' "$ENTRIES"; }',
    'nginx() { printf \'%s\\n\' "nginx $*" >> "$CALLS"; }',
    'systemctl() { printf \'%s\\n\' "systemctl $*" >> "$CALLS"; if [ "$1" = is-active ]; then [ "$NGINX_RUNNING" = yes ]; fi; }',
  ];
  const result = spawnSync('bash', ['-c', [...stubs, cloudFrontRangesScript].join('\n')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: '/usr/bin:/bin',
      CALLS: calls,
      ENTRIES: entries,
      NGINX_RUNNING: nginxRunning ? 'yes' : 'no',
      PREFIX_LIST_ID: prefixListId,
      AWS_REGION: 'eu-west-1',
      CLOUDFRONT_RANGES_FILE: ranges,
    },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    calls: readFileSync(calls, 'utf8').split('\n').filter(Boolean),
    ranges: existsSync(ranges) ? readFileSync(ranges, 'utf8') : undefined,
    files: readdirSync(dir).sort(),
  };
}

describe("the CloudFront ranges watch (nginx's list of origin-facing addresses)", () => {
  const entries = '130.176.0.0/18\t15.158.0.0/16\t3.172.64.0/18';
  const geoLines = '130.176.0.0/18 1;\n15.158.0.0/16 1;\n3.172.64.0/18 1;\n';

  it("writes the prefix list's CIDRs as geo lines and reloads nginx after checking its configuration", () => {
    const run = runWatch(entries);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.ranges).toBe(geoLines);
    expect(run.calls).toEqual([
      `aws ec2 get-managed-prefix-list-entries --region eu-west-1 --prefix-list-id ${prefixListId} --query Entries[].Cidr --output text`,
      'systemctl is-active --quiet nginx',
      'nginx -t -q',
      'systemctl reload nginx',
    ]);
    expect(JSON.parse(run.stdout)).toEqual({ probe: 'cloudfront-ranges', cidrs: 3 });
  });

  it('leaves nginx alone when the list is unchanged, and when nginx does not run yet (at boot)', () => {
    const unchanged = runWatch(entries, { existing: geoLines });
    expect(unchanged.status).toBe(0);
    expect(unchanged.calls).toEqual([expect.stringMatching(/^aws ec2 get-managed-prefix-list-entries/)]);
    expect(unchanged.stdout).toBe('');

    const atBoot = runWatch(entries, { nginxRunning: false });
    expect(atBoot.status).toBe(0);
    expect(atBoot.ranges).toBe(geoLines);
    expect(atBoot.calls.filter((call) => call.startsWith('nginx') || call.startsWith('systemctl reload'))).toEqual([]);
  });

  it('keeps the last good list when the prefix list cannot be read, is empty or holds something else than IPv4 CIDRs', () => {
    for (const bad of ['!', '', '130.176.0.0/18\tnot-a-cidr', '130.176.0.0/18\t1.2.3.4/24;\tinclude']) {
      const run = runWatch(bad, { existing: geoLines });
      expect(run.status, `entries ${JSON.stringify(bad)}`).not.toBe(0);
      expect(run.ranges).toBe(geoLines);
      expect(run.calls.filter((call) => !call.startsWith('aws'))).toEqual([]);
      // No temporary file is left beside the list.
      expect(run.files).toEqual(['calls', 'cloudfront-origin-facing.conf']);
    }
    expect(runWatch('').stderr).toContain(`the prefix list ${prefixListId} is empty`);
    expect(runWatch('130.176.0.0/18\tnot-a-cidr').stderr).toContain('holds not-a-cidr, not an IPv4 CIDR');
  });

  it('runs from the artifact with the env file the boot writes', () => {
    const unit = parseUnitFile(cloudFrontRangesServiceUnit);
    expect(unitValues(unit, 'Service', 'EnvironmentFile')).toEqual([cloudFrontRangesEnvFile]);
    expect(unitValues(unit, 'Service', 'ExecStart')).toEqual([`/usr/bin/bash ${authServerPaths.appDir}/${CLOUDFRONT_RANGES_SCRIPT}`]);
    expect(
      cloudFrontRangesScript
        .match(/\$\{?[A-Z_]+/g)
        ?.map((name) => name.replace(/\W/g, ''))
        .sort(),
    ).toEqual(expect.arrayContaining(['AWS_REGION', 'CLOUDFRONT_RANGES_FILE', 'PREFIX_LIST_ID']));
  });
});
