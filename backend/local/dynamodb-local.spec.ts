import { describe, expect, it } from 'vitest';
import { dynamoDbLocalArgs, parseJavaVersion } from './dynamodb-local';
import { isDynamoDbLocalOn } from './dynamodb-local-orphan';

// Real DynamoDB Local processes (start, stop, a killed start's leftovers): test/integration/dynamodb-local.test.ts.

describe('the Java version', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['openjdk version "25-ea" 2025-09-16', 25],
    ['java version "1.8.0_402"\nJava(TM) SE Runtime Environment', 8],
    ['openjdk version "11.0.22" 2024-01-16', 11],
    ['Picked up JAVA_TOOL_OPTIONS: -Xmx1g\nopenjdk version "17.0.2" 2022-01-18', 17],
  ])('reads %j as %i', (output, major) => {
    expect(parseJavaVersion(output)).toBe(major);
  });

  it('reads nothing from output that names no version', () => {
    expect(parseJavaVersion('bash: java: command not found')).toBeUndefined();
  });
});

describe('a DynamoDB Local left running', () => {
  const commandLine = dynamoDbLocalArgs('/opt/ddb', 8713, 'http://127.0.0.1:8713', '/data/dynamodb');

  it('is recognised by its jar and its folder', () => {
    expect(isDynamoDbLocalOn(['java', ...commandLine].join(' '), '/data/dynamodb')).toBe(true);
  });

  it('is not one on another folder, one whose name merely begins the same, or another Java program', () => {
    expect(isDynamoDbLocalOn(['java', ...commandLine].join(' '), '/data')).toBe(false);
    expect(
      isDynamoDbLocalOn(
        ['java', ...dynamoDbLocalArgs('/opt/ddb', 8713, 'http://127.0.0.1:8713', '/data/dynamodb2')].join(' '),
        '/data/dynamodb',
      ),
    ).toBe(false);
    expect(isDynamoDbLocalOn('java -jar other.jar -dbPath /data/dynamodb', '/data/dynamodb')).toBe(false);
  });
});

describe('the java command line', () => {
  it('keeps data in memory without a folder, in one database file with one', () => {
    const url = 'http://127.0.0.1:8713';
    expect(dynamoDbLocalArgs('/opt/ddb', 8713, url)).toEqual(expect.arrayContaining(['-inMemory', '-sharedDb']));
    const persisted = dynamoDbLocalArgs('/opt/ddb', 8713, url, '/data/dynamodb');
    expect(persisted).not.toContain('-inMemory');
    expect(persisted.join(' ')).toContain('-sharedDb -dbPath /data/dynamodb');
  });

  it('sends no telemetry and lets no other web origin call it', () => {
    const args = dynamoDbLocalArgs('/opt/ddb', 8713, 'http://127.0.0.1:8713').join(' ');
    expect(args).toContain('-disableTelemetry');
    expect(args).toContain('-cors http://127.0.0.1:8713');
  });
});
