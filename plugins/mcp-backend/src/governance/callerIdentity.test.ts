import { mockCredentials } from '@backstage/backend-test-utils';
import { Request } from 'express';
import { describeCaller } from './callerIdentity';

const jwt = (payload: object) =>
  `Bearer ${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.from(
    JSON.stringify(payload),
  ).toString('base64url')}.c2lnbmF0dXJl`;
const request = (authorization?: string) =>
  ({ headers: { authorization } } as Request);

describe('describeCaller', () => {
  it('names users by entity ref and services by subject', () => {
    expect(
      describeCaller(mockCredentials.user('user:default/jane'), request()),
    ).toEqual({
      principal: 'user:default/jane',
      principalType: 'user',
    });
    expect(
      describeCaller(
        mockCredentials.service('demo-agent'),
        request('Bearer static-token'),
      ),
    ).toEqual({
      principal: 'demo-agent',
      principalType: 'service',
    });
  });

  it('names a user the way the catalog compares refs, and a service by its exact subject', () => {
    // Sign-in resolvers may issue refs in any case; block lists and budgets
    // must treat them as the one user they are.
    expect(
      describeCaller(mockCredentials.user('User:Default/Jane'), request())
        .principal,
    ).toBe('user:default/jane');
    expect(
      describeCaller(mockCredentials.service('Release-Bot'), request())
        .principal,
    ).toBe('Release-Bot');
  });

  it.each([
    [{ sub: 'user:default/jane', client_id: 'claude-code' }, 'claude-code'],
    [{ sub: 'user:default/jane', azp: 'cursor' }, 'cursor'],
    [{ sub: 'user:default/jane', client_id: 'x'.repeat(500) }, 'x'.repeat(200)],
  ])(
    'reads the OAuth client of a token that carries one (%j)',
    (payload, clientId) => {
      expect(
        describeCaller(
          mockCredentials.user('user:default/jane'),
          request(jwt(payload)),
        ).oauthClientId,
      ).toBe(clientId);
    },
  );

  it.each([
    ['a token without a client claim', jwt({ sub: 'user:default/jane' })],
    ['a client claim that is not a string', jwt({ client_id: 42 })],
    ['a payload that is not JSON', 'Bearer aGVhZA.bm90IGpzb24.c2ln'],
    ['an opaque token', 'Bearer 0123456789abcdef'],
  ])('reads none from %s', (_case, authorization) => {
    expect(
      describeCaller(
        mockCredentials.user('user:default/jane'),
        request(authorization),
      ),
    ).not.toHaveProperty('oauthClientId');
  });
});
