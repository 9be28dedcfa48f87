import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { nagFindings } from '../testing/synth';
import { NatInstance, natInstanceBootScript } from './nat-instance';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * The NAT instance's boot with every system command recorded; `dnf` fails `dnfFailures` times
 * first, and files under /etc go to a scratch directory.
 */
function runBoot(dnfFailures: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'alktunes-nat-'));
  scratch.push(dir);
  const calls = path.join(dir, 'calls');
  writeFileSync(calls, '');
  for (const etc of ['sysctl.d', 'sysconfig']) mkdirSync(path.join(dir, etc));
  const record = (name: string, body = ':') => `${name}() { printf '%s\\n' "${name} $*" >> "$CALLS"; ${body}; }`;
  const stubs = [
    record('dnf', '[ "$(grep -c "^dnf " "$CALLS")" -gt "$DNF_FAILURES" ]'),
    record('sleep'),
    record('rpm'),
    record('systemctl'),
    record('sysctl'),
    record('iptables'),
    "iptables-save() { printf '%s\\n' '*nat (saved)'; }",
    "ip() { printf '%s\\n' 'default via 10.0.0.1 dev ens5 proto dhcp src 10.0.0.57 metric 512'; }",
  ];
  const script = natInstanceBootScript.map((line) => line.replaceAll('/etc/', `${dir}/`)).join('\n');
  const result = spawnSync('bash', ['-c', [...stubs, script].join('\n')], {
    encoding: 'utf8',
    // A socket on stdin makes bash read ~/.bashrc, as if started by a remote shell.
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: '/usr/bin:/bin', CALLS: calls, DNF_FAILURES: String(dnfFailures) },
  });
  return { status: result.status, stderr: result.stderr, calls: readFileSync(calls, 'utf8').split('\n').filter(Boolean), dir };
}

describe('the NAT instance boot', () => {
  it('masquerades forwarded traffic out of the default route interface and saves the rules for a reboot', () => {
    const run = runBoot(0);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([
      'dnf install -y iptables-services',
      'rpm -q iptables-services',
      'systemctl enable iptables',
      'systemctl start iptables',
      `sysctl -p ${run.dir}/sysctl.d/90-nat-instance.conf`,
      'iptables -t nat -A POSTROUTING -o ens5 -j MASQUERADE',
      'iptables -F FORWARD',
    ]);
    expect(readFileSync(path.join(run.dir, 'sysctl.d/90-nat-instance.conf'), 'utf8')).toBe('net.ipv4.ip_forward=1\n');
    expect(readFileSync(path.join(run.dir, 'sysconfig/iptables'), 'utf8')).toBe('*nat (saved)\n');
  });

  it('retries the package install that a concurrent dnf run can break at first boot', () => {
    const run = runBoot(2);
    expect(run.status).toBe(0);
    expect(run.calls.filter((call) => call.startsWith('dnf') || call.startsWith('sleep'))).toEqual([
      'dnf install -y iptables-services',
      'sleep 10',
      'dnf install -y iptables-services',
      'sleep 10',
      'dnf install -y iptables-services',
    ]);
  });
});

describe('the NAT instance', () => {
  it('has an encrypted disk and IMDSv2 as soon as a VPC uses it, whether or not anything is allowed through', () => {
    const stack = new Stack(new App(), 'NatOnly');
    const nat = new NatInstance(stack, 'Nat');
    new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 1,
      natGatewayProvider: nat.provider,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::Instance', {
      InstanceType: 't4g.nano',
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3' } }],
    });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } } });
    expect(nagFindings(stack).filter((finding) => /EC2(6|8|9)/.test(finding))).toEqual([]);
  });
});
