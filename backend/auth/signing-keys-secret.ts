import { GetSecretValueCommand, PutSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { newKeysFile, storedKeysIn } from './signing-keys';

/** What a deployment found in the keys secret: key ids only, never key material (the deployment logs it). */
export interface SigningKeysSecretResult {
  /** Whether this run made the keys (the secret held none). */
  created: boolean;
  /** Ids of the keys the secret holds now, oldest first. */
  kids: string[];
}

/**
 * Fills the signing keys secret with a new keys file when it holds an empty key set (how the
 * stack creates it) and leaves keys already there alone, so running it at every deployment makes
 * the keys once and keeps them across instance replacements. A value that is not a keys file
 * fails the deployment rather than be overwritten. One deployment runs it at a time
 * (CloudFormation updates a stack once at a time), so reading then writing needs no lock.
 */
export async function ensureSigningKeys(client: SecretsManagerClient, secretId: string): Promise<SigningKeysSecretResult> {
  const current = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const existing = storedKeysIn(current.SecretString ?? '', `secret ${secretId}`);
  if (existing.length > 0) return { created: false, kids: existing.map((key) => key.kid) };
  const keysFile = await newKeysFile();
  await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: keysFile }));
  return { created: true, kids: storedKeysIn(keysFile, 'new keys file').map((key) => key.kid) };
}
