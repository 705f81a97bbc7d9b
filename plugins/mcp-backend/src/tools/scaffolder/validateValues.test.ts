import {
  docsTemplate,
  nodejsTemplate,
  parameterSchemaOf,
  repoTemplate,
} from './__fixtures__/templates';
import { mergeParameterPages } from './templateSchema';
import { validateTemplateValues } from './validateValues';

const nodejs = mergeParameterPages(parameterSchemaOf(nodejsTemplate).steps);
const docs = mergeParameterPages(parameterSchemaOf(docsTemplate).steps);
const repo = mergeParameterPages(parameterSchemaOf(repoTemplate).steps);

const validNodejs = {
  name: 'gift-card-service',
  owner: 'group:default/team-a',
  system: 'system:default/payments',
  lifecycle: 'production',
  includeDocs: false,
};

describe('validateTemplateValues', () => {
  it('accepts complete, well-typed values', () => {
    expect(validateTemplateValues(nodejs, validNodejs)).toEqual({
      valid: true,
      problems: [],
      missing_required: [],
      unknown_fields: [],
      secret_fields_present: [],
    });
  });

  it.each([
    [
      'a value outside the enum',
      { lifecycle: 'legacy' },
      {
        field: 'lifecycle',
        message: 'must be one of the allowed values',
        expected: ['experimental', 'production'],
      },
    ],
    [
      'a wrong type',
      { includeDocs: 'yes' },
      {
        field: 'includeDocs',
        message: 'must be of type boolean',
        expected: 'boolean',
      },
    ],
    [
      'a name breaking the pattern',
      { name: 'Gift Card' },
      { field: 'name', message: expect.stringContaining('pattern') },
    ],
    [
      'a too long name',
      { name: `a${'b'.repeat(63)}` },
      { field: 'name', message: expect.stringContaining('63') },
    ],
  ])(
    'reports %s with the field and what is expected',
    (_name, change, problem) => {
      const result = validateTemplateValues(nodejs, {
        ...validNodejs,
        ...change,
      });
      expect(result.valid).toBe(false);
      expect(result.problems).toEqual([problem]);
    },
  );

  it('lists missing required fields across pages', () => {
    const result = validateTemplateValues(nodejs, { description: 'x' });
    expect(result.valid).toBe(false);
    expect(result.missing_required).toEqual(['name', 'owner', 'system']);
    expect(result.problems.map(p => p.field)).toEqual([
      'name',
      'owner',
      'system',
    ]);
  });

  it('names unknown fields and the known ones', () => {
    const result = validateTemplateValues(nodejs, {
      ...validNodejs,
      nmae: 'x',
    });
    expect(result.valid).toBe(false);
    expect(result.unknown_fields).toEqual(['nmae']);
    expect(result.problems[0].message).toContain('name, description, owner');
  });

  it('reports a secret without echoing it, and does not require it', () => {
    const secret = 'hunter2-very-secret';
    const values = {
      name: 'docs',
      owner: 'group:default/team-a',
      apiToken: secret,
      waitSeconds: 99,
    };
    const result = validateTemplateValues(docs, values);
    expect(result.valid).toBe(false);
    expect(result.secret_fields_present).toEqual(['apiToken']);
    expect(result.problems).toEqual([
      { field: 'waitSeconds', message: 'must be <= 60' },
      {
        field: 'apiToken',
        message: expect.stringContaining(
          'never send secrets through the model',
        ),
      },
    ]);
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(values.apiToken).toBe(secret);

    const withoutSecret = validateTemplateValues(docs, {
      name: 'docs',
      owner: 'group:default/team-a',
    });
    expect(withoutSecret.valid).toBe(true);
  });

  it.each([
    [
      'the branch of a dependency',
      { repoUrl: 'github.com?owner=a&repo=b', publish: true },
      ['branch'],
      [],
      ['branch'],
    ],
    [
      'a field only known in a dependency',
      { repoUrl: 'github.com?owner=a&repo=b', publish: true, branch: 'main' },
      [],
      [],
      [],
    ],
    [
      'a nested secret',
      {
        repoUrl: 'github.com?owner=a&repo=b',
        deploy: { password: 'p4ss', region: 'eu' },
      },
      [],
      ['deploy.password'],
      ['deploy.password'],
    ],
    [
      'a dependency value outside every branch',
      { repoUrl: 'github.com?owner=a&repo=b', publish: 'maybe' },
      ['branch'],
      [],
      ['publish', 'branch'],
    ],
    [
      'a nested wrong type',
      { repoUrl: 'github.com?owner=a&repo=b', deploy: { region: 5 } },
      [],
      [],
      ['deploy.region'],
    ],
  ])(
    'follows page conditionals and nesting: %s',
    (_name, values, missing, secrets, problemFields) => {
      const result = validateTemplateValues(repo, values);
      expect(result.missing_required).toEqual(missing);
      expect(result.secret_fields_present).toEqual(secrets);
      expect(result.unknown_fields).toEqual([]);
      expect(result.problems.map(p => p.field)).toEqual(problemFields);
      expect(JSON.stringify(result)).not.toContain('p4ss');
    },
  );
});

describe('validateTemplateValues with formats', () => {
  const withEmail = mergeParameterPages([
    {
      title: 'Contact',
      schema: {
        type: 'object',
        properties: { contact: { type: 'string', format: 'email' } },
      },
    },
  ]);

  it.each([
    ['accepts a well-formed email', 'team@example.com', []],
    [
      'rejects a malformed email',
      'not-an-email',
      [{ field: 'contact', message: 'must match format "email"' }],
    ],
  ])('%s', (_name, contact, problems) => {
    expect(validateTemplateValues(withEmail, { contact }).problems).toEqual(
      problems,
    );
  });
});
