import { Aspects } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { acceptFindings } from '../nag';
import { Construct } from 'constructs';
import { authServerImage } from './auth-server-image';

/**
 * The NAT instance's Amazon Linux 2023 release, pinned on its own: a new image replaces the NAT
 * instance, which cuts the private subnet's way out while the new one starts, so it must not
 * change in the deploy that also replaces the auth server (which downloads as it boots).
 */
export const NAT_INSTANCE_AMI = 'al2023-ami-2023.10.20260302.1-kernel-6.1-arm64';

const WEB_PORTS = [ec2.Port.tcp(443), ec2.Port.tcp(80)];

/**
 * The NAT instance's first boot, in place of CDK's default one, which fails on Amazon Linux 2023
 * when another dnf run empties the package cache mid-install (aws/aws-cdk#36717) and relies on
 * `route` and `service`. It retries the install, finds the outgoing interface with `ip route`,
 * masquerades everything forwarded through it, and saves the rules so a reboot keeps them.
 * iptables' own start loads a FORWARD chain that rejects everything: flushed after it.
 */
export const natInstanceBootScript = [
  'set -euo pipefail',
  'for attempt in $(seq 1 30); do',
  '  if dnf install -y iptables-services; then break; fi',
  '  sleep 10',
  'done',
  'rpm -q iptables-services',
  'systemctl enable iptables',
  'systemctl start iptables',
  "echo 'net.ipv4.ip_forward=1' > /etc/sysctl.d/90-nat-instance.conf",
  'sysctl -p /etc/sysctl.d/90-nat-instance.conf',
  "interface=$(ip route show default | awk '{print $5; exit}')",
  'iptables -t nat -A POSTROUTING -o "$interface" -j MASQUERADE',
  'iptables -F FORWARD',
  'iptables-save > /etc/sysconfig/iptables',
];

/**
 * CDK's NAT instance provider, whose instances get an encrypted disk and IMDSv2, as the auth
 * server has, as soon as the VPC creates them: nothing the VPC's owner calls, or forgets to.
 */
class HardenedNatInstanceProvider extends ec2.NatInstanceProviderV2 {
  override configureNat(options: ec2.ConfigureNatOptions): void {
    super.configureNat(options);
    for (const instance of this.gatewayInstances) {
      instance.instance.blockDeviceMappings = [{ deviceName: '/dev/xvda', ebs: { encrypted: true, volumeType: 'gp3' } }];
      Aspects.of(instance).add(new ec2.InstanceRequireImdsv2Aspect());
      acceptFindings(
        instance,
        {
          id: 'AwsSolutions-EC28',
          reason: 'Detailed monitoring would cost more than the instance; its per-minute status check is alarmed.',
        },
        {
          id: 'AwsSolutions-EC29',
          reason: 'A stateless NAT instance CloudFormation replaces when its image changes; termination protection would block that.',
        },
      );
    }
  }
}

/**
 * The private subnet's way out to the internet (packages, Node.js, AWS APIs without an
 * endpoint, SSM Session Manager): one t4g.nano instance (~$3/month) where a NAT gateway costs
 * ~$33. Pass `provider` to the VPC, then `allowFrom` the security groups it serves. Its CPU
 * credits are capped (standard), so a stuck process cannot run up a bill.
 */
export class NatInstance extends Construct {
  readonly provider: ec2.NatInstanceProviderV2;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.provider = new HardenedNatInstanceProvider({
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.NANO),
      machineImage: authServerImage(this, NAT_INSTANCE_AMI),
      creditSpecification: ec2.CpuCredits.STANDARD,
      userData: ec2.UserData.custom(['#!/bin/bash', ...natInstanceBootScript].join('\n')),
      // Nothing in, nothing out until `allowFrom` opens HTTP(S) for the subnets it serves.
      defaultAllowedTraffic: ec2.NatTrafficDirection.NONE,
    });
  }

  /** Once the VPC exists: HTTP(S) in from `clients` and out to anywhere, nothing else. */
  allowFrom(...clients: ec2.ISecurityGroup[]): void {
    const group = this.provider.securityGroup as ec2.SecurityGroup;
    for (const port of WEB_PORTS) {
      for (const client of clients) group.addIngressRule(client, port, `${port.toString()} from the private subnet, to the internet`);
      group.addEgressRule(ec2.Peer.anyIpv4(), port, `${port.toString()} to package mirrors, nodejs.org and AWS APIs`);
    }
  }
}
