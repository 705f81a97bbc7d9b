import { valuesFormFor } from './valuesForm';

const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', title: 'Name', pattern: '^[a-z]+$', maxLength: 63 },
    owner: { type: 'string', 'ui:field': 'OwnerPicker' },
    email: { type: 'string', format: 'email', description: 'Contact' },
    lifecycle: {
      type: 'string',
      enum: ['experimental', 'production'],
      default: 'experimental',
    },
    size: { type: 'string', enum: ['s', 'l'], enumNames: ['Small', 'Large'] },
    replicas: { type: 'integer', minimum: 1, maximum: 5 },
    public: { type: 'boolean', default: false },
    tags: { type: 'array', items: { type: 'string' } },
  },
};

describe('valuesFormFor', () => {
  it('turns flat fields into the form schema elicitation allows', () => {
    expect(
      valuesFormFor(schema, [
        'name',
        'owner',
        'email',
        'lifecycle',
        'size',
        'replicas',
        'public',
      ]),
    ).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string', title: 'Name', maxLength: 63 },
        owner: {
          type: 'string',
          title: 'owner',
          description:
            'OwnerPicker: an entity ref such as group:default/my-team',
        },
        email: {
          type: 'string',
          title: 'email',
          description: 'Contact',
          format: 'email',
        },
        lifecycle: {
          type: 'string',
          title: 'lifecycle',
          enum: ['experimental', 'production'],
          default: 'experimental',
        },
        size: {
          type: 'string',
          title: 'size',
          oneOf: [
            { const: 's', title: 'Small' },
            { const: 'l', title: 'Large' },
          ],
        },
        replicas: {
          type: 'integer',
          title: 'replicas',
          minimum: 1,
          maximum: 5,
        },
        public: { type: 'boolean', title: 'public', default: false },
      },
      required: [
        'name',
        'owner',
        'email',
        'lifecycle',
        'size',
        'replicas',
        'public',
      ],
    });
  });

  it.each([
    ['a list field', ['name', 'tags']],
    ['a nested field', ['repo.branch']],
    ['an unknown field', ['colour']],
  ])('cannot ask for %s', (_case, fields) => {
    expect(valuesFormFor(schema, fields)).toBeUndefined();
  });
});
