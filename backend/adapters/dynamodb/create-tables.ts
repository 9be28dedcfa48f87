import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
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

/**
 * Creates whichever of the tables are missing and waits until all are ACTIVE. Safe to call on
 * every start and from several processes at once.
 */
export async function ensureTables(
  client: DynamoDBClient,
  names: Record<TableDefinition['id'], string>,
): Promise<void> {
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
    }),
  );
}
