import { InputError } from '@backstage/errors';
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
} from 'node:crypto';
import { inspect } from 'node:util';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;

/**
 * The key that seals pending template secrets. It prints as `[redacted]`
 * wherever it ends up (a config dump, an error, a log line), so that no
 * mistake elsewhere can leak it.
 */
export class SecretEntryKey {
  readonly #bytes: Buffer;

  private constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  /**
   * Reads a key written as base64 (`openssl rand -base64 32`). The message of
   * a refusal names the config path and the expected form, never the value.
   */
  static fromBase64(text: string, path: string): SecretEntryKey {
    const trimmed = text.trim();
    const bytes = Buffer.from(trimmed, 'base64');
    const canonical = (b: string) =>
      b.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
    if (
      bytes.length !== KEY_BYTES ||
      canonical(bytes.toString('base64')) !== canonical(trimmed)
    ) {
      throw new InputError(
        `Config ${path} must be ${KEY_BYTES} random bytes written as base64, e.g. the output of "openssl rand -base64 32"; the value given is not (it is not shown here)`,
      );
    }
    return new SecretEntryKey(bytes);
  }

  /** A fresh random key, for the plugin's database when none is configured. */
  static generate(): SecretEntryKey {
    return new SecretEntryKey(randomBytes(KEY_BYTES));
  }

  /** The key as base64, for storing it; never for printing. */
  exportBase64(): string {
    return this.#bytes.toString('base64');
  }

  /** @internal */
  bytes(): Buffer {
    return this.#bytes;
  }

  toString() {
    return '[redacted]';
  }

  toJSON() {
    return '[redacted]';
  }

  [inspect.custom]() {
    return 'SecretEntryKey [redacted]';
  }
}

/** What the cache holds for a sealed value: nothing of it in clear text. */
export interface SealedValue {
  v: 1;
  /** Which key sealed it (a keyed digest, not the key), to tell "another key" from "damaged". */
  kid: string;
  iv: string;
  data: string;
  tag: string;
}

/**
 * A sealed value could not be opened: sealed with another key (replicas
 * with different `mcp.secretEntry.encryptionKey`), damaged, or not sealed.
 */
export class UnreadableSecretError extends Error {
  constructor(readonly reason: 'other-key' | 'damaged') {
    super(
      reason === 'other-key'
        ? 'A pending secret request was encrypted with another key: every replica needs the same mcp.secretEntry.encryptionKey'
        : 'A pending secret request in the cache is damaged and was not used',
    );
    this.name = 'UnreadableSecretError';
  }
}

function isSealed(value: unknown): value is SealedValue {
  const v = value as Partial<SealedValue> | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.v === 1 &&
    typeof v.kid === 'string' &&
    typeof v.iv === 'string' &&
    typeof v.data === 'string' &&
    typeof v.tag === 'string'
  );
}

/**
 * AES-256-GCM over JSON values. Each value is bound to the cache key it is
 * stored under (additional authenticated data), so a sealed request cannot
 * be copied to another id or swapped with an index entry.
 */
export class SecretCipher {
  readonly #key: Buffer;
  readonly #kid: string;

  constructor(key: SecretEntryKey) {
    this.#key = key.bytes();
    this.#kid = createHmac('sha256', this.#key)
      .update('backstage-mcp secret entry key id')
      .digest('hex')
      .slice(0, 16);
  }

  seal(value: unknown, context: string): SealedValue {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([
      cipher.update(JSON.stringify(value), 'utf8'),
      cipher.final(),
    ]);
    return {
      v: 1,
      kid: this.#kid,
      iv: iv.toString('base64'),
      data: data.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
  }

  /** Opens what {@link SecretCipher.seal} sealed under the same context; throws {@link UnreadableSecretError}. */
  open(sealed: unknown, context: string): unknown {
    if (!isSealed(sealed)) throw new UnreadableSecretError('damaged');
    if (sealed.kid !== this.#kid) throw new UnreadableSecretError('other-key');
    try {
      // A fixed tag length: GCM would otherwise accept a forged tag of 4 bytes.
      const decipher = createDecipheriv(
        ALGORITHM,
        this.#key,
        Buffer.from(sealed.iv, 'base64'),
        {
          authTagLength: 16,
        },
      );
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      const text = Buffer.concat([
        decipher.update(Buffer.from(sealed.data, 'base64')),
        decipher.final(),
      ]).toString('utf8');
      return JSON.parse(text);
    } catch {
      throw new UnreadableSecretError('damaged');
    }
  }
}
