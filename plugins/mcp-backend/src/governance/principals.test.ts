import { parsePrincipal, principalKey } from './principals';

describe('principals', () => {
  it.each([
    ['a user ref', 'user:default/jane', 'user:default/jane', 'user'],
    [
      'a user ref in another case',
      'User:Development/Guest',
      'user:development/guest',
      'user',
    ],
    ['a user ref without namespace', 'USER:Jane', 'user:default/jane', 'user'],
    [
      'a user that has no entity',
      'user:default/Jane@Acme.com',
      'user:default/jane@acme.com',
      'user',
    ],
    ['surrounding spaces', '  user:default/jane ', 'user:default/jane', 'user'],
    [
      'a static token subject, exactly',
      'Release-Bot',
      'Release-Bot',
      'service',
    ],
    ['a plugin', 'plugin:catalog', 'plugin:catalog', 'service'],
    [
      'an external token subject',
      'external:ci:Bot-42',
      'external:ci:Bot-42',
      'service',
    ],
  ])('reads %s', (_case, raw, principal, principalType) => {
    expect(parsePrincipal(raw)).toEqual({ principal, principalType });
  });

  it.each([
    ['nothing', '   ', /empty/],
    ['an overlong value', 'x'.repeat(513), /longer than 512/],
    [
      'inner spaces',
      'user:default/jane doe',
      /no spaces or control characters/,
    ],
    ['a control character', 'agent\u0000', /no spaces or control characters/],
    [
      'a user ref with an empty name',
      'user:',
      /not a user entity ref.*user:default\/jane/,
    ],
    [
      'a user ref with too many parts',
      'user:default/a/b',
      /not a user entity ref/,
    ],
    [
      'a user ref with an empty namespace',
      'user:/jane',
      /not a user entity ref/,
    ],
    [
      'a group',
      'group:default/sre-team',
      /ref of a group, which never calls MCP/,
    ],
    [
      'a component in another case',
      'Component:default/checkout',
      /ref of a Component/,
    ],
  ])('refuses %s with the reason', (_case, raw, problem) => {
    const parsed = parsePrincipal(raw);
    expect(parsed).toEqual({ problem: expect.stringMatching(problem) });
  });

  it.each([
    ['User:Default/Jane', 'user:default/jane'],
    ['user:jane', 'user:default/jane'],
    ['Demo-Agent', 'Demo-Agent'],
    // Stored or issued values are never refused, only keyed.
    ['user:a/b/c', 'user:a/b/c'],
  ])('keys %s as %s', (value, key) => {
    expect(principalKey(value)).toBe(key);
  });
});
