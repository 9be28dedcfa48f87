import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from './low-level-client';

/**
 * Whether a DynamoDB answers at `endpoint` (a local stack's DynamoDB Local). It has no health
 * route and refuses unsigned requests, so the check is the smallest signed call there is.
 */
export async function dynamoDbAnswers(endpoint: string, region: string): Promise<boolean> {
  const client = createDynamoClient({ region, endpoint });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(3000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}
