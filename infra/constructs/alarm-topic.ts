import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { acceptFindings } from '../nag';

export interface AlarmTopicProps {
  /** Address subscribed to every alarm (context `alarmEmail`); AWS mails a confirmation link first. */
  email?: string;
}

/**
 * The one SNS topic every alarm of a deployment notifies (in alarm and back to OK), so an admin
 * confirms one subscription and hears about functions, the API, the auth host and the database.
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Alktunes alarms', enforceSSL: true });
    // The topic policy that enforceSSL writes replaces SNS's default one, so CloudWatch needs its
    // own Allow; only this account's alarms may publish.
    const { account, region, partition } = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    acceptFindings(this.topic, {
      id: 'AwsSolutions-SNS2',
      reason: 'Alarm notifications carry no listener data; CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key.',
    });
  }
}

/** Sends `alarm` to `topic` when it fires and when it recovers. */
export function notify(alarm: cloudwatch.Alarm, topic: sns.ITopic): cloudwatch.Alarm {
  const action = new actions.SnsAction(topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

/** Alarm props without the parts {@link alarmOnAnyOccurrence} decides (periods and missing data may be overridden). */
export type AnyOccurrenceAlarmProps = Omit<cloudwatch.AlarmProps, 'threshold' | 'comparisonOperator' | 'evaluationPeriods'> &
  Partial<Pick<cloudwatch.AlarmProps, 'evaluationPeriods'>>;

/**
 * An alarm on a count that should stay zero (errors, throttles, dead letters): one occurrence in
 * a period fires it, and a period without data counts as none unless `treatMissingData` says so.
 */
export function alarmOnAnyOccurrence(scope: Construct, id: string, props: AnyOccurrenceAlarmProps): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    ...props,
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  });
}
