import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { tables, type KeyAttribute, type TableDefinition } from './tables';

/** The CreateTable request for a definition from `tables.ts` (on-demand billing). */
export function createTableInput(def: TableDefinition, name: string): CreateTableCommandInput {
  const attributes = new Map<string, KeyAttribute>();
  const remember = (key?: KeyAttribute) => key && attributes.set(key.name, key);
  remember(def.partitionKey);
  remember(def.sortKey);
  for (const index of def.globalIndexes) {
    remember(index.partitionKey);
    remember(index.sortKey);
  }
  for (const index of def.localIndexes) remember(index.sortKey);

  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes.values()].map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: def.sortKey.name, KeyType: 'RANGE' },
    ],
    ...(def.globalIndexes.length
      ? {
          GlobalSecondaryIndexes: def.globalIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
              ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' as const }] : []),
            ],
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
    ...(def.localIndexes.length
      ? {
          LocalSecondaryIndexes: def.localIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: def.partitionKey.name, KeyType: 'HASH' as const },
              { AttributeName: index.sortKey.name, KeyType: 'RANGE' as const },
            ],
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}

async function tableExists(client: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

async function timeToLiveOn(client: DynamoDBClient, name: string, attribute: string): Promise<boolean> {
  const { TimeToLiveDescription: ttl } = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
  return (ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING') && ttl.AttributeName === attribute;
}

/** Turns on TTL on `attribute` unless it is on already (DynamoDB refuses a second UpdateTimeToLive). */
async function ensureTimeToLive(client: DynamoDBClient, name: string, attribute: string): Promise<void> {
  if (await timeToLiveOn(client, name, attribute)) return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: attribute, Enabled: true } }),
    );
  } catch (error) {
    // Another process turned it on between our check and our update ("TimeToLive is already enabled").
    if (!(await timeToLiveOn(client, name, attribute))) throw error;
  }
}

/**
 * Creates whichever of the tables are missing, waits until all are ACTIVE and turns TTL on where
 * a table defines an expiry attribute (the deployed tables get it from CloudFormation). Safe to
 * call on every start and from several processes at once.
 */
export async function ensureTables(client: DynamoDBClient, names: Record<TableDefinition['id'], string>): Promise<void> {
  await Promise.all(
    tables.map(async (def) => {
      const name = names[def.id];
      if (!(await tableExists(client, name))) {
        try {
          await client.send(new CreateTableCommand(createTableInput(def, name)));
        } catch (error) {
          // Another process created it between our check and our create.
          if (!(error instanceof ResourceInUseException)) throw error;
        }
      }
      await waitUntilTableExists({ client, maxWaitTime: 120, minDelay: 1, maxDelay: 5 }, { TableName: name });
      if (def.timeToLiveAttribute) await ensureTimeToLive(client, name, def.timeToLiveAttribute);
    }),
  );
}
