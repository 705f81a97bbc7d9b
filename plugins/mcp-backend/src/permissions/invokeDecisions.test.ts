import { mockCredentials } from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createInvokeDecider } from './invokeDecisions';

describe('createInvokeDecider', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    now = Date.parse('2026-11-30T12:00:00Z');
  });

  function permissionsAnswering(...results: AuthorizeResult[]) {
    const authorizeConditional = jest.fn();
    for (const result of results)
      authorizeConditional.mockResolvedValueOnce([{ result }]);
    return {
      permissions: { authorizeConditional } as unknown as PermissionsService,
      authorizeConditional,
    };
  }
  const signIn = (ref: string, expiresInMs = 3_600_000) => ({
    ...mockCredentials.user(ref),
    expiresAt: new Date(now + expiresInMs),
  });

  it("reuses a user's decision within the TTL, then asks again", async () => {
    const { permissions, authorizeConditional } = permissionsAnswering(
      AuthorizeResult.ALLOW,
      AuthorizeResult.DENY,
    );
    const decide = createInvokeDecider(permissions, {
      ttlMs: 10_000,
      now: clock,
    });
    const alice = signIn('user:default/alice');

    expect((await decide(alice)).result).toBe(AuthorizeResult.ALLOW);
    now += 9_999;
    expect((await decide({ ...alice })).result).toBe(AuthorizeResult.ALLOW);
    now += 2;
    expect((await decide(alice)).result).toBe(AuthorizeResult.DENY);
    expect(authorizeConditional).toHaveBeenCalledTimes(2);
    expect(authorizeConditional).toHaveBeenCalledWith(
      [{ permission: expect.objectContaining({ name: 'mcp.tool.invoke' }) }],
      { credentials: alice },
    );
  });

  it('asks for every other user and every new sign-in', async () => {
    const { permissions, authorizeConditional } = permissionsAnswering(
      AuthorizeResult.ALLOW,
      AuthorizeResult.DENY,
      AuthorizeResult.DENY,
    );
    const decide = createInvokeDecider(permissions, {
      ttlMs: 10_000,
      now: clock,
    });

    await decide(signIn('user:default/alice'));
    const bob = await decide(signIn('user:default/bob'));
    const aliceAgain = await decide(signIn('user:default/alice', 7_200_000));

    expect(bob.result).toBe(AuthorizeResult.DENY);
    expect(aliceAgain.result).toBe(AuthorizeResult.DENY);
    expect(authorizeConditional).toHaveBeenCalledTimes(3);
  });

  it('asks every time for service principals and with a TTL of 0', async () => {
    const { permissions, authorizeConditional } = permissionsAnswering(
      ...Array(4).fill(AuthorizeResult.ALLOW),
    );
    const cached = createInvokeDecider(permissions, {
      ttlMs: 10_000,
      now: clock,
    });
    const uncached = createInvokeDecider(permissions, { ttlMs: 0, now: clock });
    const agent = mockCredentials.service('external:agent');
    const alice = signIn('user:default/alice');

    await cached(agent);
    await cached(agent);
    await uncached(alice);
    await uncached(alice);

    expect(authorizeConditional).toHaveBeenCalledTimes(4);
  });

  it('never reuses a decision past the sign-in it was made for', async () => {
    const { permissions, authorizeConditional } = permissionsAnswering(
      AuthorizeResult.ALLOW,
      AuthorizeResult.ALLOW,
    );
    const decide = createInvokeDecider(permissions, {
      ttlMs: 60_000,
      now: clock,
    });
    const expiring = signIn('user:default/alice', 5_000);

    await decide(expiring);
    now += 5_000;
    await decide(expiring);

    expect(authorizeConditional).toHaveBeenCalledTimes(2);
  });

  it('shares one question between concurrent requests and forgets failures', async () => {
    const authorizeConditional = jest
      .fn()
      .mockRejectedValueOnce(new Error('permission backend down'))
      .mockResolvedValue([{ result: AuthorizeResult.ALLOW }]);
    const decide = createInvokeDecider(
      { authorizeConditional } as unknown as PermissionsService,
      { ttlMs: 10_000, now: clock },
    );
    const alice = signIn('user:default/alice');

    const failed = await Promise.allSettled([decide(alice), decide(alice)]);
    expect(failed.map(f => f.status)).toEqual(['rejected', 'rejected']);
    expect(authorizeConditional).toHaveBeenCalledTimes(1);

    expect((await decide(alice)).result).toBe(AuthorizeResult.ALLOW);
    expect(authorizeConditional).toHaveBeenCalledTimes(2);
  });
});
