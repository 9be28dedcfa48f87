import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { pascalCase } from '../names';
import { alarmOnAnyOccurrence, type AnyOccurrenceAlarmProps, notify } from './alarm-topic';

export interface ApiAlarmsProps {
  /** Every backend function by name (the name goes into the alarm description). */
  functions: Record<string, lambda.IFunction>;
  stage: apigw.HttpStage;
  alarmTopic: sns.ITopic;
}

const PERIOD = Duration.minutes(5);

/**
 * What an admin hears about the API: a function that crashed or timed out (handlers answer
 * bad requests themselves, so any Lambda error is a bug or an outage), functions throttled by
 * the account's concurrency limit (10 on some new accounts), and 5xx answers of the API,
 * which also count the 500s a handler returns and the gateway's own 502/503/504.
 */
export class ApiAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ApiAlarmsProps) {
    super(scope, id);
    const add = (alarmId: string, alarm: AnyOccurrenceAlarmProps) =>
      this.alarms.push(notify(alarmOnAnyOccurrence(this, alarmId, alarm), props.alarmTopic));

    const entries = Object.entries(props.functions);
    for (const [name, fn] of entries) {
      add(`${pascalCase(name)}Errors`, {
        alarmDescription: `The ${name} function failed (uncaught error or timeout); see its log group`,
        metric: fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
      });
    }

    // One alarm for all functions: throttling is an account-level limit, not one function's fault.
    const throttles = Object.fromEntries(
      entries.map(([name, fn]) => [`throttles_${name}`, fn.metricThrottles({ period: PERIOD, statistic: 'Sum' })]),
    );
    add('Throttles', {
      alarmDescription: 'Lambda throttled a backend function: the account concurrency limit is reached (ask AWS to raise it)',
      metric: new cloudwatch.MathExpression({
        expression: Object.keys(throttles).join(' + '),
        usingMetrics: throttles,
        period: PERIOD,
        label: 'Throttles',
      }),
    });

    add('ServerErrors', {
      alarmDescription: 'The API answered 5xx: a handler error, a function timeout or an integration failure',
      metric: props.stage.metricServerError({ period: PERIOD, statistic: 'Sum' }),
    });
  }
}
