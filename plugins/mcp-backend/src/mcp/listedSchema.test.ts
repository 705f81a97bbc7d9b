import { listedInputSchema, listedOutputSchema } from './listedSchema';

const schema = {
  type: 'object',
  properties: {
    ref: {
      type: 'string',
      minLength: 1,
      maxLength: 500,
      description: 'Entity ref',
    },
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 20,
      description: 'Page size',
    },
    from: { type: 'integer', minimum: 1900, description: 'Year' },
    offset: {
      type: 'integer',
      minimum: -9007199254740991,
      maximum: 9007199254740991,
      description: 'Skip',
    },
    kind: {
      description: 'Kind',
      anyOf: [
        { type: 'string', maxLength: 200 },
        {
          type: 'array',
          maxItems: 20,
          items: { type: 'string', maxLength: 200 },
        },
      ],
    },
    owner: {
      type: 'object',
      description: 'Owner',
      properties: {
        name: {
          type: 'string',
          description: 'Name of the owner',
          maxLength: 10,
        },
      },
      additionalProperties: false,
    },
    values: {
      type: 'object',
      description: 'Values',
      propertyNames: { type: 'string', maxLength: 200 },
      additionalProperties: {},
    },
    headers: {
      type: 'object',
      description: 'Headers',
      propertyNames: { type: 'string', pattern: '^x-' },
      additionalProperties: { type: 'string' },
    },
    id: {
      type: 'string',
      format: 'uuid',
      pattern: '^[0-9a-f-]{36}$',
      description: 'Id',
    },
    code: { type: 'string', pattern: '^[A-Z]{3}$', description: 'Code' },
  },
  required: ['ref'],
  additionalProperties: false,
} as const;

describe('listedInputSchema', () => {
  it('keeps what a model calls with and drops limits the server enforces', () => {
    expect(listedInputSchema(schema as any)).toEqual({
      type: 'object',
      properties: {
        ref: { type: 'string', description: 'Entity ref' },
        // The floor of a count goes, a ceiling stays.
        limit: {
          type: 'integer',
          maximum: 100,
          default: 20,
          description: 'Page size',
        },
        from: { type: 'integer', minimum: 1900, description: 'Year' },
        offset: { type: 'integer', description: 'Skip' },
        kind: {
          description: 'Kind',
          anyOf: [
            { type: 'string' },
            { type: 'array', items: { type: 'string' } },
          ],
        },
        owner: {
          type: 'object',
          description: 'Owner',
          properties: {
            name: { type: 'string', description: 'Name of the owner' },
          },
        },
        // Property names are strings anyway; {} allows anything.
        values: { type: 'object', description: 'Values' },
        headers: {
          type: 'object',
          description: 'Headers',
          propertyNames: { type: 'string', pattern: '^x-' },
          additionalProperties: { type: 'string' },
        },
        // The format says what the pattern spells out; a pattern alone stays.
        id: { type: 'string', format: 'uuid', description: 'Id' },
        code: { type: 'string', pattern: '^[A-Z]{3}$', description: 'Code' },
      },
      required: ['ref'],
      // The server names an unknown key in its answer.
    });
  });
});

describe('listedOutputSchema', () => {
  it('describes only the top-level fields', () => {
    const listed = listedOutputSchema(schema as any) as any;
    expect(listed.properties.owner).toEqual({
      type: 'object',
      description: 'Owner',
      properties: { name: { type: 'string' } },
    });
    expect(listed.required).toEqual(['ref']);
    expect(listed).not.toHaveProperty('additionalProperties');
  });
});

describe('a schema that states its dialect', () => {
  it('is listed exactly as stated', () => {
    const stated = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      ...schema,
    } as any;
    expect(listedInputSchema(stated)).toEqual(stated);
    expect(listedOutputSchema(stated)).toEqual(stated);
  });
});
