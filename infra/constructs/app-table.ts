import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { KeyAttribute, TableDefinition } from '../../backend/adapters/dynamodb/tables';

export interface AppTableProps {
  definition: TableDefinition;
  /** On: deletion protection and kept when the stack is deleted. Off: deleted with the stack. */
  deletionProtection: boolean;
}

/**
 * One DynamoDB table built from its shared definition in `backend/adapters/dynamodb/tables.ts`,
 * so the deployed key schema and indexes are exactly what the repositories and the local stack use.
 *
 * The physical name is generated (`<stack>-<id>Table…-<suffix>`): the functions get it in their
 * env var and the admin commands from the stack outputs, so nothing needs to guess it, and a
 * table kept by an earlier, protected deployment never blocks the next deployment of the prefix.
 */
export class AppTable extends Construct {
  readonly definition: TableDefinition;
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: AppTableProps) {
    super(scope, id);
    const { definition } = props;
    this.definition = definition;
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: attribute(definition.partitionKey),
      sortKey: attribute(definition.sortKey),
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      removalPolicy: props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      globalSecondaryIndexes: definition.globalIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: index.sortKey && attribute(index.sortKey),
      })),
      localSecondaryIndexes: definition.localIndexes.map((index) => ({
        indexName: index.indexName,
        sortKey: attribute(index.sortKey),
      })),
      timeToLiveAttribute: definition.timeToLiveAttribute,
    });
  }
}

function attribute(key: KeyAttribute): dynamodb.Attribute {
  const type = key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER;
  return { name: key.name, type };
}
