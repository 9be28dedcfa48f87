import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mapStackTracesOnDemand } from '../../lambda-runtime/stack-traces';
import { ensureSigningKeys } from '../signing-keys-secret';

mapStackTracesOnDemand(import.meta.url);

const secretId = process.env.SIGNING_KEYS_SECRET_ARN;
if (!secretId) throw new Error('SIGNING_KEYS_SECRET_ARN is not set: the ARN of the auth signing keys secret');
const client = new SecretsManagerClient({});

/**
 * Lambda entry run by the deployment (a CDK trigger) before the auth instance boots: makes the
 * signing keys in their secret if it holds none, so no instance ever needs to write it.
 */
export const handler = () => ensureSigningKeys(client, secretId);
