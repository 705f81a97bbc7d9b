import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  readRedactionConfig,
  redactionRulesFor,
  RedactionRules,
} from '../config/redactionConfig';
import { redactResult } from './redactResult';

function rules(redaction: any, agents: any[] = []) {
  return readRedactionConfig(new ConfigReader({ redaction, agents }));
}

const globalRules = (redaction: any): RedactionRules => rules(redaction).global;

const user = {
  kind: 'User',
  metadata: {
    name: 'alice',
    annotations: {
      'vault.io/path': 'secret/alice',
      'acme.internal/cost': '42',
      'github.com/login': 'alice',
    },
  },
  spec: { profile: { displayName: 'Alice', email: 'alice@acme.example' } },
};

describe('redactResult', () => {
  it('removes a field path wherever an object has it, at any depth and in lists', () => {
    const input = {
      entity: user,
      related: [{ items: [user] }],
      spec: user.spec,
    };
    const { value, paths } = redactResult(
      input,
      globalRules({ fields: [{ path: 'spec.profile.email' }] }),
    );
    expect(value.entity.spec.profile).toEqual({ displayName: 'Alice' });
    expect(value.related[0].items[0].spec.profile).toEqual({
      displayName: 'Alice',
    });
    expect(value.spec.profile).toEqual({ displayName: 'Alice' });
    expect(paths).toEqual(['spec.profile.email']);
    expect(JSON.stringify(value)).not.toContain('alice@acme.example');
  });

  it('masks instead of removing, keeping the shape', () => {
    const { value } = redactResult(
      { entity: user },
      globalRules({ fields: [{ path: 'spec.profile', action: 'mask' }] }),
    );
    expect(value.entity.spec.profile).toEqual({
      displayName: '[redacted]',
      email: '[redacted]',
    });
  });

  it('leaves the input untouched (it may be a cached entity)', () => {
    const input = { entity: structuredClone(user) };
    redactResult(
      input,
      globalRules({ fields: [{ path: 'spec.profile.email' }] }),
    );
    expect(input.entity.spec.profile.email).toBe('alice@acme.example');
  });

  it('matches metadata paths where results lift metadata to the top', () => {
    const lifted = {
      entity: { name: 'alice', annotations: { a: '1' }, labels: { team: 'x' } },
    };
    const { value, paths } = redactResult(
      lifted,
      globalRules({ fields: [{ path: 'metadata.labels' }] }),
    );
    expect(value.entity).toEqual({ name: 'alice', annotations: { a: '1' } });
    expect(paths).toEqual(['metadata.labels']);
  });

  it.each([
    ['a glob', 'vault.io/*', ['vault.io/path']],
    ['a glob with a wildcard domain', '*.internal/*', ['acme.internal/cost']],
    [
      'a regular expression',
      '/^(vault|acme)\\./',
      ['acme.internal/cost', 'vault.io/path'],
    ],
  ])('removes annotations matching %s', (_name, pattern, removed) => {
    const { value, paths } = redactResult(
      { entity: user },
      globalRules({ annotationPatterns: [{ pattern }] }),
    );
    const left = Object.keys(value.entity.metadata.annotations);
    expect(left).toContain('github.com/login');
    removed.forEach(key => expect(left).not.toContain(key));
    expect(paths).toEqual(removed.map(key => `metadata.annotations.${key}`));
  });

  it('masks annotations and records paths, never values', () => {
    const { value, paths } = redactResult(
      { entity: user },
      globalRules({
        annotationPatterns: [{ pattern: 'vault.io/*', action: 'mask' }],
      }),
    );
    expect(value.entity.metadata.annotations['vault.io/path']).toBe(
      '[redacted]',
    );
    expect(JSON.stringify(paths)).not.toContain('secret/alice');
  });

  it('follows aliases a tool declares for reshaped fields and contact lists', () => {
    const owner = {
      owners: [
        {
          ref: 'group:default/team-a',
          email: 'team-a@acme.example',
          contacts: [
            { label: 'vault.io/path', value: 'secret/team-a' },
            { label: 'slack', value: '#team-a' },
          ],
          members: [{ ref: 'user:default/alice', email: 'alice@acme.example' }],
        },
      ],
    };
    const { value, paths } = redactResult(
      owner,
      globalRules({
        fields: [{ path: 'spec.profile.email', action: 'mask' }],
        annotationPatterns: [{ pattern: 'vault.io/*' }],
      }),
      {
        fields: {
          'owners.email': 'spec.profile.email',
          'owners.members.email': 'spec.profile.email',
        },
        annotationEntries: ['owners.contacts'],
      },
    );
    expect(value.owners[0].email).toBe('[redacted]');
    expect(value.owners[0].members[0].email).toBe('[redacted]');
    expect(value.owners[0].contacts).toEqual([
      { label: 'slack', value: '#team-a' },
    ]);
    expect(paths).toEqual([
      'metadata.annotations.vault.io/path',
      'spec.profile.email',
    ]);
  });

  it.each([
    ['the restricted field', 'spec.profile.email', true],
    ['a field inside it', 'spec.profile.email.x', true],
    ['a matching annotation', 'metadata.annotations.vault.io/path', true],
    ['another field', 'spec.type', false],
    // The catalog lowercases facet keys: letter case must not bypass a rule.
    ['the restricted field in capitals', 'SPEC.PROFILE.EMAIL', true],
    [
      'a matching annotation in capitals',
      'METADATA.ANNOTATIONS.Vault.IO/path',
      true,
    ],
  ])('masks listed values of %s', (_name, field, masked) => {
    const { value } = redactResult(
      { field, values: [{ value: 'v', count: 2 }] },
      globalRules({
        fields: [{ path: 'spec.profile.email' }],
        annotationPatterns: [{ pattern: 'vault.io/*' }],
      }),
      { valuesOfField: { field: 'field', values: 'values.value' } },
    );
    expect(value.values).toEqual([
      { value: masked ? '[redacted]' : 'v', count: 2 },
    ]);
  });

  it('matches field paths and annotation keys whatever their letter case', () => {
    const shouty = {
      Spec: { Profile: { EMAIL: 'alice@acme.example' } },
      metadata: { annotations: { 'VAULT.io/Path': 'secret/alice' } },
    };
    const { value, paths } = redactResult(
      { entity: shouty },
      globalRules({
        fields: [{ path: 'spec.profile.email' }],
        annotationPatterns: [{ pattern: 'vault.io/*' }],
      }),
    );
    expect(JSON.stringify(value)).not.toMatch(/alice@acme|secret\/alice/);
    expect(paths).toEqual([
      'metadata.annotations.VAULT.io/Path',
      'spec.profile.email',
    ]);
  });

  describe('entity text', () => {
    const hits = {
      hits: [
        {
          ref: 'user:default/alice',
          title: 'Alice',
          excerpt: 'Alice <ALICE@acme.example> on call; vault secret/alice',
        },
        { ref: 'user:default/bob', title: 'Bob', excerpt: 'Bob in payments' },
        {
          ref: 'user:default/hidden',
          title: 'Hidden',
          excerpt: 'hidden@acme.example',
        },
        {
          title: 'A docs page without an entity',
          excerpt: 'alice@acme.example wrote this',
        },
        { ref: 'user:default/carol', excerpt: '…rol@acme.example is Carol' },
      ],
    };
    const restrictions = globalRules({
      fields: [{ path: 'spec.profile.email' }],
      annotationPatterns: [{ pattern: 'vault.io/*' }],
    });
    const values = new Map([
      ['user:default/alice', ['alice@acme.example', 'secret/alice']],
      ['user:default/bob', ['bob@acme.example']],
      ['user:default/carol', ['carol@acme.example']],
    ]);

    it("masks the restricted values of each item's entity in its text, ignoring case", () => {
      const { value, paths } = redactResult(
        hits,
        restrictions,
        {
          entityText: { items: 'hits', ref: 'ref', text: ['title', 'excerpt'] },
        },
        values,
      );
      expect(value.hits[0].excerpt).toBe(
        'Alice <[redacted]> on call; vault [redacted]',
      );
      expect(value.hits[1]).toEqual(hits.hits[1]);
      // The collator's text of an entity the caller cannot read is left out.
      expect(value.hits[2]).toEqual({ ref: 'user:default/hidden' });
      // Not an entity's text: the entity rules do not reach it.
      expect(value.hits[3]).toEqual(hits.hits[3]);
      // An excerpt that starts inside a value loses the visible part.
      expect(value.hits[4].excerpt).toBe('…[redacted] is Carol');
      expect(paths).toEqual(['hits.excerpt', 'hits.title']);
    });
  });

  it('returns the input as it is without rules', () => {
    const input = { entity: user };
    expect(redactResult(input, globalRules(undefined))).toEqual({
      value: input,
      paths: [],
    });
  });
});

describe('redactionRulesFor', () => {
  const config = rules({ fields: [{ path: 'spec.profile.email' }] }, [
    {
      subject: 'hygiene-agent',
      redaction: { fields: [{ path: 'spec.owner', action: 'mask' }] },
    },
    { subject: 'other-agent', templates: [] },
  ]);

  it('adds the agent rules for that subject only', () => {
    const forAgent = redactionRulesFor(
      config,
      mockCredentials.service('hygiene-agent'),
    );
    expect(forAgent.fields.map(f => f.path)).toEqual([
      'spec.profile.email',
      'spec.owner',
    ]);
    for (const credentials of [
      mockCredentials.service('other-agent'),
      mockCredentials.user('user:default/hygiene-agent'),
    ]) {
      expect(
        redactionRulesFor(config, credentials).fields.map(f => f.path),
      ).toEqual(['spec.profile.email']);
    }
  });

  it.each([
    [{ fields: [{ path: 'spec..email' }] }, 'mcp.redaction.fields[0].path'],
    [
      { fields: [{ path: 'a', action: 'hide' }] },
      'mcp.redaction.fields[0].action',
    ],
    [
      { annotationPatterns: [{ pattern: '/(/' }] },
      'mcp.redaction.annotationPatterns[0].pattern',
    ],
  ])('refuses invalid config %j, naming the key', (redaction, key) => {
    expect(() => rules(redaction)).toThrow(key);
  });
});
