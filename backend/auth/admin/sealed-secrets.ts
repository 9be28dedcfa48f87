import { constants, createPublicKey, generateKeyPairSync, privateDecrypt, publicEncrypt } from 'node:crypto';

/*
 * A command run through SSM Run Command leaves its output in the deployment (GetCommandInvocation
 * returns it for weeks). Passwords and invite codes the admin command prints there are sealed to a
 * key pair made for that one run by the admin's machine, which alone can open them. RSA-OAEP with
 * SHA-256 seals up to 190 bytes: enough for a password or a code.
 */

const SEALED = /sealed:([\w-]+)/g;
const oaep = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' };

/** `secret` encrypted to `publicKey` (SPKI DER, base64url), as `sealed:<base64url>`. */
export function seal(secret: string, publicKey: string): string {
  const key = createPublicKey({ key: Buffer.from(publicKey, 'base64url'), format: 'der', type: 'spki' });
  return `sealed:${publicEncrypt({ key, ...oaep }, Buffer.from(secret, 'utf8')).toString('base64url')}`;
}

/** A key pair for one run: `publicKey` goes with the command; `open` replaces every sealed secret in a text by its value. */
export function newSealingKeys(): { publicKey: string; open(text: string): string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64url'),
    open: (text) =>
      text.replace(SEALED, (_, sealed: string) =>
        privateDecrypt({ key: privateKey, ...oaep }, Buffer.from(sealed, 'base64url')).toString('utf8'),
      ),
  };
}
