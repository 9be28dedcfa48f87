import { Annotations, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct } from 'constructs';
import { acceptFindings } from '../nag';
import { alarmOnAnyOccurrence, notify } from './alarm-topic';

export interface HomeFeedScheduleProps {
  /** The shuffle function: reads the catalog and publishes a new home feed. */
  shuffle: lambda.Function;
  alarmTopic: sns.ITopic;
}

/**
 * When the home feed is published: once during every deployment that changes the shuffle
 * function (so a fresh deployment has a feed at once, and a shuffle that cannot run fails
 * the deployment instead of failing quietly every 3 hours), then every 3 hours. A scheduled
 * run that still fails after its retries lands in a queue that raises an alarm.
 */
export class HomeFeedSchedule extends Construct {
  readonly failedRuns: sqs.Queue;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: HomeFeedScheduleProps) {
    super(scope, id);
    const { shuffle } = props;

    this.failedRuns = new sqs.Queue(this, 'FailedRuns', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acceptFindings(this.failedRuns, {
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter destination of the shuffle (Lambda on-failure destination and EventBridge DLQ); cdk-nag only recognizes SQS redrive DLQs.',
    });

    // Failed runs of the function itself (EventBridge invokes it asynchronously) …
    shuffle.configureAsyncInvoke({ retryAttempts: 2, onFailure: new destinations.SqsDestination(this.failedRuns) });
    // … and events EventBridge could not deliver to it at all.
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Reshuffles the home feed',
      schedule: events.Schedule.rate(Duration.hours(3)),
      targets: [new targets.LambdaFunction(shuffle, { retryAttempts: 2, deadLetterQueue: this.failedRuns })],
    });

    // Binding the trigger to `currentVersion` makes CDK warn about permissions on versions. Only
    // EventBridge has a resource permission, and it invokes the unqualified function; the trigger
    // invokes the version with its own IAM policy (`function:*`).
    Annotations.of(shuffle).acknowledgeWarning(
      '@aws-cdk/aws-lambda:addPermissionsToVersionOrAlias',
      'EventBridge invokes the unqualified function; the deploy trigger calls the version through IAM',
    );
    new triggers.Trigger(this, 'OnDeploy', {
      handler: shuffle,
      invocationType: triggers.InvocationType.REQUEST_RESPONSE,
      timeout: shuffle.timeout ?? Duration.minutes(2),
      executeOnHandlerChange: true,
      executeAfter: [shuffle],
    });

    notify(
      alarmOnAnyOccurrence(this, 'FailedRunsAlarm', {
        alarmDescription: 'A scheduled home feed shuffle failed after its retries; the failed event is in the shuffle dead-letter queue',
        metric: this.failedRuns.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      }),
      props.alarmTopic,
    );
  }
}
