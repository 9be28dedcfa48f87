import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alarmOnAnyOccurrence, notify } from './alarm-topic';

export interface AuthServerAlarmsProps {
  instance: ec2.Instance;
  /** The auth server's way out: without it its logs, its health metric and Secrets Manager are out of reach. */
  natInstance: ec2.Instance;
  /** The group the instance's CloudWatch agent writes to, health probe lines included. */
  logGroup: logs.ILogGroup;
  database: rds.DatabaseInstance;
  topic: sns.ITopic;
  /** Namespace of the health metric; one per deployment, so two prefixes never share a series. */
  metricNamespace: string;
}

/** Below this the database is about to fill up even after storage autoscaling did its part. */
const FREE_STORAGE_FLOOR_BYTES = 2 * 1024 ** 3;

/**
 * What tells an admin the sign-in path is broken: the instance or its NAT instance failing their
 * status checks, the health probe (nginx → server → database, once a minute) not answering 200, and the database
 * running out of storage or CPU credits.
 */
export class AuthServerAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: AuthServerAlarmsProps) {
    super(scope, id);

    const statusCheck = (id: string, instance: ec2.Instance, alarmDescription: string, treatMissingData: cloudwatch.TreatMissingData) =>
      alarmOnAnyOccurrence(this, id, {
        alarmDescription,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/EC2',
          metricName: 'StatusCheckFailed',
          dimensionsMap: { InstanceId: instance.instanceId },
          statistic: cloudwatch.Stats.MAXIMUM,
          period: Duration.minutes(1),
        }),
        evaluationPeriods: 3,
        treatMissingData,
      });
    // Missing checks breach: the alarm is created (or moved to a new instance) only once the
    // instance has signalled, when EC2 reports its checks, so missing ones mean it is gone.
    const serverStatus = statusCheck(
      'InstanceStatusCheck',
      props.instance,
      'The auth server instance fails its EC2 status checks.',
      cloudwatch.TreatMissingData.BREACHING,
    );
    // Missing checks do not breach: a new NAT instance (first deployment, new image) reports none
    // for its first minutes, and nothing waits for it to. A failing one reports failures; a
    // stopped one reports nothing, which is an operator's act or a retirement AWS announces.
    const natStatus = statusCheck(
      'NatInstanceStatusCheck',
      props.natInstance,
      "The auth server's NAT instance fails its EC2 status checks: the server cannot reach CloudWatch, Secrets Manager or packages.",
      cloudwatch.TreatMissingData.NOT_BREACHING,
    );

    // Failed probes only, no default value: other lines of the group (the boot log's, such as a
    // first boot waiting for its issuer) report nothing rather than a failure.
    const failedProbes = new logs.MetricFilter(this, 'FailedProbes', {
      logGroup: props.logGroup,
      filterPattern: logs.FilterPattern.all(
        logs.FilterPattern.stringValue('$.probe', '=', 'health'),
        logs.FilterPattern.stringValue('$.http_status', '!=', '200'),
      ),
      metricNamespace: props.metricNamespace,
      metricName: 'AuthServerFailedProbes',
      metricValue: '1',
    });
    const unhealthy = new cloudwatch.Alarm(this, 'Unhealthy', {
      alarmDescription:
        'The auth server did not answer its health probe (nginx, the server or the database is down). Missing probe data does not fire it: that means the CloudWatch agent on the instance stopped (a dead instance raises the status check alarm).',
      metric: failedProbes.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(1) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      // Right after the success signal there are only a minute or two of probes; counting the
      // minutes before them as failures would raise the alarm on every new instance. A dead
      // instance is the status check alarm's to report.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // Created once the instance has signalled a healthy server, so a first boot raises no alarm.
    for (const alarm of [serverStatus, unhealthy]) alarm.node.addDependency(props.instance);

    const storage = new cloudwatch.Alarm(this, 'DatabaseStorage', {
      alarmDescription: 'The auth database has less than 2 GiB of free storage.',
      metric: props.database.metricFreeStorageSpace({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MINIMUM }),
      threshold: FREE_STORAGE_FLOOR_BYTES,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    const cpu = new cloudwatch.Alarm(this, 'DatabaseCpu', {
      alarmDescription: 'The auth database has used over 80% CPU for 15 minutes.',
      metric: props.database.metricCPUUtilization({ period: Duration.minutes(5) }),
      threshold: 80,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });

    this.alarms = [serverStatus, natStatus, unhealthy, storage, cpu].map((alarm) => notify(alarm, props.topic));
  }
}
