import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { logger, withLogContext } from '../../lambda-runtime/logger';
import { mapStackTracesOnDemand } from '../../lambda-runtime/stack-traces';
import { ensureSigningKeys } from '../signing-keys-secret';

mapStackTracesOnDemand(import.meta.url);

const secretId = process.env.SIGNING_KEYS_SECRET_ARN;
if (!secretId) throw new Error('SIGNING_KEYS_SECRET_ARN is not set: the ARN of the auth signing keys secret');
const client = new SecretsManagerClient({});

/**
 * Lambda entry run by the deployment (a CDK trigger) before the auth instance boots: makes the
 * signing keys in their secret if it holds none, so no instance ever needs to write it. Its log
 * line names the key ids only, never a key.
 */
export const handler = withLogContext(async () => {
  const result = await ensureSigningKeys(client, secretId);
  logger.info(result.created ? 'signing keys created' : 'signing keys kept', { kids: result.kids });
  return result;
});
