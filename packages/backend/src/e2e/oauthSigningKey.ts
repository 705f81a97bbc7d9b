import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The portal's token signing key, held by the test: the auth backend's
 * static key store (`auth.keyStore.provider: static`, what replicas that
 * share keys use) loads it from files. With it the test turns a token the
 * portal issued into the same token one lifetime later, i.e. expired,
 * instead of waiting for the (at least ten-minute) lifetime to pass.
 */
export interface PortalSigningKey {
  /** `APP_CONFIG_auth_keyStore` for the backend's environment. */
  keyStoreConfig: string;
  /** The token with `iat` and `exp` moved back by its own lifetime plus a minute. */
  expire(token: string): string;
  remove(): void;
}

const KEY_ID = 'oauth-e2e';

export function createPortalSigningKey(): PortalSigningKey {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth-keys-'));
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', {
    namedCurve: 'P-256',
  });
  const publicKeyFile = path.join(dir, 'public.pem');
  const privateKeyFile = path.join(dir, 'private.pem');
  fs.writeFileSync(
    publicKeyFile,
    publicKey.export({ type: 'spki', format: 'pem' }),
  );
  fs.writeFileSync(
    privateKeyFile,
    privateKey.export({ type: 'pkcs8', format: 'pem' }),
  );
  const decode = (part: string) =>
    JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  const encode = (value: unknown) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  return {
    keyStoreConfig: JSON.stringify({
      provider: 'static',
      static: {
        keys: [
          { publicKeyFile, privateKeyFile, keyId: KEY_ID, algorithm: 'ES256' },
        ],
      },
    }),
    expire(token) {
      const [header, payload] = token.split('.').slice(0, 2).map(decode);
      if (header.kid !== KEY_ID) {
        throw new Error(`The token was signed with key ${header.kid}`);
      }
      const shift = payload.exp - payload.iat + 60;
      const input = `${encode(header)}.${encode({
        ...payload,
        iat: payload.iat - shift,
        exp: payload.exp - shift,
      })}`;
      const signature = crypto.sign('sha256', Buffer.from(input), {
        key: privateKey,
        dsaEncoding: 'ieee-p1363',
      });
      return `${input}.${signature.toString('base64url')}`;
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
