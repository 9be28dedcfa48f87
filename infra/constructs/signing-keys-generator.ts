import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct, type IConstruct } from 'constructs';
import { ApiFunction } from './api-function';

export interface SigningKeysGeneratorProps {
  /** The keys secret, created as an empty key set (`{"keys":[]}`). */
  secret: secretsmanager.ISecret;
}

/**
 * Makes the auth server's signing keys during the deployment: a function, run by a trigger on
 * the first deployment and whenever its code changes, that fills the keys secret with a new keys
 * file if it holds none (see `backend/auth/signing-keys-secret.ts`). Only this function may
 * write the secret; the instances that sign with the keys only read it.
 */
export class SigningKeysGenerator extends Construct {
  private readonly trigger: triggers.Trigger;

  constructor(scope: Construct, id: string, props: SigningKeysGeneratorProps) {
    super(scope, id);
    const timeout = Duration.seconds(30);
    const generator = new ApiFunction(this, 'Generate', {
      entry: 'backend/auth/lambda/create-signing-keys.ts',
      description: 'Makes the auth server signing keys in their secret when it holds none',
      memorySize: 256,
      timeout,
    });
    generator.fn.addEnvironment('SIGNING_KEYS_SECRET_ARN', props.secret.secretArn);
    iam.Grant.addToPrincipal({
      grantee: generator.fn,
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
      resourceArns: [props.secret.secretArn],
    });
    this.trigger = new triggers.Trigger(this, 'OnDeploy', {
      handler: generator.fn,
      invocationType: triggers.InvocationType.REQUEST_RESPONSE,
      timeout,
      executeOnHandlerChange: true,
      executeAfter: [generator.fn],
    });
  }

  /** Makes `scopes` (the instances that read the keys) wait until the keys exist. */
  before(...scopes: IConstruct[]): void {
    this.trigger.executeBefore(...scopes);
  }
}
