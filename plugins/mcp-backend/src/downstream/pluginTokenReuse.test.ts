import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthService } from '@backstage/backend-plugin-api';
import { SignJWT } from 'jose';
import { PluginTokenReuse } from './pluginTokenReuse';

const KEY = new TextEncoder().encode('test-only-signing-key-0123456789');
const HOUR_S = 3600;

/** An auth service that signs a distinct token per request, as Backstage's does. */
function signingAuth(options: { lifetimeS?: number; now: () => number }) {
  let issued = 0;
  const getPluginRequestToken = jest.fn(async () => {
    issued += 1;
    const iat = Math.floor(options.now() / 1000);
    const token = await new SignJWT({ n: issued })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(iat)
      .setExpirationTime(iat + (options.lifetimeS ?? HOUR_S))
      .sign(KEY);
    return { token };
  });
  return {
    auth: { getPluginRequestToken } as unknown as AuthService,
    getPluginRequestToken,
  };
}

describe('PluginTokenReuse', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    now = Date.parse('2026-11-30T12:00:00Z');
  });

  it('signs once for unrestricted service callers and reuses the token', async () => {
    const { auth, getPluginRequestToken } = signingAuth({ now: clock });
    const tokens = new PluginTokenReuse(auth, { now: clock });
    const onBehalfOf = mockCredentials.service('external:agent');

    const first = await tokens.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: 'catalog',
    });
    const second = await tokens.getPluginRequestToken({
      onBehalfOf: mockCredentials.service('external:other-agent'),
      targetPluginId: 'catalog',
    });

    expect(second.token).toBe(first.token);
    expect(getPluginRequestToken).toHaveBeenCalledTimes(1);
  });

  it('keeps one token per target plugin', async () => {
    const { auth, getPluginRequestToken } = signingAuth({ now: clock });
    const tokens = new PluginTokenReuse(auth, { now: clock });
    const onBehalfOf = mockCredentials.service('external:agent');

    const catalog = await tokens.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: 'catalog',
    });
    const scaffolder = await tokens.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: 'scaffolder',
    });

    expect(scaffolder.token).not.toBe(catalog.token);
    expect(getPluginRequestToken).toHaveBeenCalledTimes(2);
  });

  it('asks the auth service every time for a restricted service caller', async () => {
    const { auth, getPluginRequestToken } = signingAuth({ now: clock });
    const tokens = new PluginTokenReuse(auth, { now: clock });
    const onBehalfOf = mockCredentials.service('external:reader', {
      permissionNames: ['catalog.entity.read'],
    });

    await tokens.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: 'catalog',
    });
    await tokens.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: 'catalog',
    });

    expect(getPluginRequestToken).toHaveBeenCalledTimes(2);
  });

  it('reuses a user token only for the same user and the same sign-in', async () => {
    const { auth, getPluginRequestToken } = signingAuth({ now: clock });
    const tokens = new PluginTokenReuse(auth, { now: clock });
    const expiresAt = new Date(now + HOUR_S * 1000);
    const alice = {
      ...mockCredentials.user('user:default/alice'),
      expiresAt,
    };
    const aliceAgain = {
      ...mockCredentials.user('user:default/alice'),
      expiresAt,
    };
    const aliceSignedInAgain = {
      ...mockCredentials.user('user:default/alice'),
      expiresAt: new Date(expiresAt.getTime() + 60_000),
    };
    const bob = { ...mockCredentials.user('user:default/bob'), expiresAt };
    const ask = (onBehalfOf: typeof alice) =>
      tokens.getPluginRequestToken({ onBehalfOf, targetPluginId: 'catalog' });

    const first = await ask(alice);
    expect((await ask(aliceAgain)).token).toBe(first.token);
    expect((await ask(aliceSignedInAgain)).token).not.toBe(first.token);
    expect((await ask(bob)).token).not.toBe(first.token);
    expect(getPluginRequestToken).toHaveBeenCalledTimes(3);
  });

  it('asks again a minute before the token expires', async () => {
    const { auth, getPluginRequestToken } = signingAuth({ now: clock });
    const tokens = new PluginTokenReuse(auth, { now: clock });
    const ask = () =>
      tokens.getPluginRequestToken({
        onBehalfOf: mockCredentials.service('external:agent'),
        targetPluginId: 'catalog',
      });

    const first = await ask();
    now += (HOUR_S - 61) * 1000;
    expect((await ask()).token).toBe(first.token);
    now += 2_000;
    expect((await ask()).token).not.toBe(first.token);
    expect(getPluginRequestToken).toHaveBeenCalledTimes(2);
  });

  it('never reuses a token that expires within the margin', async () => {
    const { auth, getPluginRequestToken } = signingAuth({
      now: clock,
      lifetimeS: 30,
    });
    const tokens = new PluginTokenReuse(auth, { now: clock });
    const ask = () =>
      tokens.getPluginRequestToken({
        onBehalfOf: mockCredentials.service('external:agent'),
        targetPluginId: 'catalog',
      });

    await ask();
    await ask();

    expect(getPluginRequestToken).toHaveBeenCalledTimes(2);
  });

  it('remembers no failure and nothing that is not a JWT', async () => {
    const getPluginRequestToken = jest
      .fn()
      .mockRejectedValueOnce(new Error('NotAllowedError'))
      .mockResolvedValue({ token: '' });
    const tokens = new PluginTokenReuse(
      { getPluginRequestToken } as unknown as AuthService,
      { now: clock },
    );
    const ask = () =>
      tokens.getPluginRequestToken({
        onBehalfOf: mockCredentials.service('external:agent'),
        targetPluginId: 'catalog',
      });

    await expect(ask()).rejects.toThrow('NotAllowedError');
    await expect(ask()).resolves.toEqual({ token: '' });
    await expect(ask()).resolves.toEqual({ token: '' });
    expect(getPluginRequestToken).toHaveBeenCalledTimes(3);
  });
});
