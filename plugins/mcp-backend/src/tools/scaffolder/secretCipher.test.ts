import { inspect } from 'node:util';
import {
  SecretCipher,
  SecretEntryKey,
  UnreadableSecretError,
} from './secretCipher';

const KEY_A = Buffer.alloc(32, 7).toString('base64');
const KEY_B = Buffer.alloc(32, 9).toString('base64');
const SECRET = 'hunter2-docs-host-token';

const cipherOf = (base64: string) =>
  new SecretCipher(SecretEntryKey.fromBase64(base64, 'test.key'));

describe('SecretCipher', () => {
  it('seals a value so that nothing of it is readable, and opens it again', () => {
    const cipher = cipherOf(KEY_A);
    const value = {
      secrets: { apiToken: SECRET },
      fields: [{ name: 'apiToken', title: 'Docs host token' }],
    };
    const sealed = cipher.seal(value, 'secret-request:1');
    const stored = JSON.stringify(sealed);
    for (const clear of [SECRET, 'apiToken', 'Docs host token', 'secrets']) {
      expect(stored).not.toContain(clear);
    }
    expect(cipher.open(sealed, 'secret-request:1')).toEqual(value);
    // A fresh IV per value: the same value never seals the same way twice.
    expect(cipher.seal(value, 'secret-request:1').data).not.toBe(sealed.data);
  });

  it('refuses to open with another key, under another cache key, or when changed', () => {
    const sealed = cipherOf(KEY_A).seal(
      { apiToken: SECRET },
      'secret-request:1',
    );
    expect(() => cipherOf(KEY_B).open(sealed, 'secret-request:1')).toThrow(
      expect.objectContaining({
        name: 'UnreadableSecretError',
        reason: 'other-key',
      }),
    );
    expect(() => cipherOf(KEY_A).open(sealed, 'secret-request:2')).toThrow(
      expect.objectContaining({ reason: 'damaged' }),
    );
    const flipped = Buffer.from(sealed.data, 'base64');
    flipped[0] ^= 1;
    expect(() =>
      cipherOf(KEY_A).open(
        { ...sealed, data: flipped.toString('base64') },
        'secret-request:1',
      ),
    ).toThrow(UnreadableSecretError);
    const shortTag = Buffer.from(sealed.tag, 'base64')
      .subarray(0, 4)
      .toString('base64');
    expect(() =>
      cipherOf(KEY_A).open({ ...sealed, tag: shortTag }, 'secret-request:1'),
    ).toThrow(UnreadableSecretError);
    expect(() =>
      cipherOf(KEY_A).open({ apiToken: SECRET }, 'secret-request:1'),
    ).toThrow(UnreadableSecretError);
  });
});

describe('SecretEntryKey', () => {
  it.each([
    ['too short', Buffer.alloc(16, 1).toString('base64')],
    ['too long', Buffer.alloc(48, 1).toString('base64')],
    ['not base64', 'correct horse battery staple and then some more'],
    ['hex', 'ab'.repeat(32)],
  ])('refuses a key that is %s, without repeating it', (_case, value) => {
    const error = (() => {
      try {
        SecretEntryKey.fromBase64(value, 'mcp.secretEntry.encryptionKey');
        return undefined;
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.name).toBe('InputError');
    expect(error?.message).toContain(
      'mcp.secretEntry.encryptionKey must be 32 random bytes written as base64',
    );
    expect(error?.message).toContain('openssl rand -base64 32');
    expect(error?.message).not.toContain(value);
  });

  it('accepts standard and URL-safe base64', () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => 250 - i));
    expect(
      SecretEntryKey.fromBase64(bytes.toString('base64'), 'k').exportBase64(),
    ).toBe(bytes.toString('base64'));
    expect(
      SecretEntryKey.fromBase64(
        bytes.toString('base64url'),
        'k',
      ).exportBase64(),
    ).toBe(bytes.toString('base64'));
  });

  it('never prints itself', () => {
    const key = SecretEntryKey.fromBase64(KEY_A, 'k');
    const printed = [
      String(key),
      `${key}`,
      JSON.stringify({ key }),
      inspect(key),
      inspect({ nested: { key } }),
    ];
    for (const text of printed) {
      expect(text).not.toContain(KEY_A);
      expect(text).toContain('[redacted]');
    }
  });
});
