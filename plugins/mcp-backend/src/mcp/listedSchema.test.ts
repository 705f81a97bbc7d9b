import { listedInputSchema, listedOutputSchema } from './listedSchema';

const schema = {
  type: 'object',
  properties: {
    ref: { type: 'string', minLength: 1, maxLength: 500, description: 'Entity ref' },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20, description: 'Page size' },
    offset: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991, description: 'Skip' },
    kind: {
      description: 'Kind',
      anyOf: [{ type: 'string', maxLength: 200 }, { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 200 } }],
    },
    owner: {
      type: 'object',
      description: 'Owner',
      properties: { name: { type: 'string', description: 'Name of the owner', maxLength: 10 } },
    },
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
        limit: { type: 'integer', minimum: 1, maximum: 100, default: 20, description: 'Page size' },
        offset: { type: 'integer', description: 'Skip' },
        kind: { description: 'Kind', anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        owner: { type: 'object', description: 'Owner', properties: { name: { type: 'string', description: 'Name of the owner' } } },
      },
      required: ['ref'],
      additionalProperties: false,
    });
  });
});

describe('listedOutputSchema', () => {
  it('describes only the top-level fields', () => {
    const listed = listedOutputSchema(schema as any) as any;
    expect(listed.properties.owner.description).toBe('Owner');
    expect(listed.properties.owner.properties.name).toEqual({ type: 'string' });
    expect(listed.required).toEqual(['ref']);
  });
});
