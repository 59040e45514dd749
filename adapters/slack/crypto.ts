/**
 * Tokens at rest: AES-256-GCM with a random 96-bit IV per value. The text form is
 * `v1.<iv>.<tag>.<ciphertext>` in base64url. The key the value belongs to (a team id) is
 * bound in as associated data, so a stored value cannot be moved to another workspace's row.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';

export class DecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptError';
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('The encryption key must be 32 bytes.');
}

export function encrypt(plainText: string, key: Buffer, associatedData = ''): string {
  checkKey(key);
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), tag.toString('base64url'), body.toString('base64url')].join('.');
}

/** Throws DecryptError when the value was changed, belongs elsewhere, or the key is wrong. */
export function decrypt(text: string, key: Buffer, associatedData = ''): string {
  checkKey(key);
  const [version, iv, tag, body, ...rest] = text.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || body === undefined || rest.length > 0) {
    throw new DecryptError('The stored value is not in the expected encrypted form.');
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptError('The stored value could not be decrypted: the ENCRYPTION_KEY is wrong or the value was changed.');
  }
}
