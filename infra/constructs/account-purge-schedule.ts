import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alarmOnAnyOccurrence, notify } from './alarm-topic';

export interface AccountPurgeScheduleProps {
  /** The purge function: erases the data of deleted accounts. */
  purge: lambda.Function;
  periodMinutes: number;
  alarmTopic: sns.ITopic;
}

/**
 * When deleted accounts' data is erased: every `periodMinutes`. A run picks up whatever the
 * runs before it left, so the next run is the retry: a failed run is not repeated on its own
 * (a failing function raises the API's function-error alarm), and an event EventBridge could
 * not deliver raises an alarm here.
 */
export class AccountPurgeSchedule extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: AccountPurgeScheduleProps) {
    super(scope, id);
    props.purge.configureAsyncInvoke({ retryAttempts: 0 });
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Erases the data of deleted accounts',
      schedule: events.Schedule.rate(Duration.minutes(props.periodMinutes)),
      targets: [new targets.LambdaFunction(props.purge, { retryAttempts: 2 })],
    });
    notify(
      alarmOnAnyOccurrence(this, 'FailedInvocationsAlarm', {
        alarmDescription: 'EventBridge could not invoke the account purge: deleted accounts keep their data until it can',
        metric: new cloudwatch.Metric({
          namespace: 'AWS/Events',
          metricName: 'FailedInvocations',
          dimensionsMap: { RuleName: this.rule.ruleName },
          period: Duration.minutes(5),
          statistic: 'Sum',
        }),
      }),
      props.alarmTopic,
    );
  }
}
