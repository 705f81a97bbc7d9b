import {
  buildSelectedDocument,
  collectRefs,
  componentClosure,
  localRef,
  localRefSegments,
} from './componentClosure';

const ref = (target: string) => ({ $ref: target });

const DOCUMENT = {
  openapi: '3.0.3',
  components: {
    schemas: {
      Node: { properties: { next: ref('#/components/schemas/Node') } },
      A: { properties: { b: ref('#/components/schemas/B') } },
      B: {
        properties: {
          a: ref('#/components/schemas/A'),
          c: ref('#/components/schemas/C/properties/x'),
        },
      },
      C: { properties: { x: { type: 'string' } } },
      'a/b~c': { type: 'string' },
      Unused: { properties: { d: ref('#/components/schemas/D') } },
      D: { type: 'string' },
    },
    parameters: {
      Used: { name: 'p', in: 'query', schema: ref('#/components/schemas/D') },
      Unused: { name: 'q', in: 'query' },
    },
  },
};

describe('local refs', () => {
  it.each([
    ['#/components/schemas/Money', ['components', 'schemas', 'Money']],
    ['#/components/schemas/a~1b~0c', ['components', 'schemas', 'a/b~c']],
    ['#/paths/~1orders~1%7Bid%7D', ['paths', '/orders/{id}']],
    ['#/components/schemas/100%', ['components', 'schemas', '100%']],
    ['other.yaml#/components/schemas/Money', undefined],
  ])('reads %s', (input, segments) => {
    expect(localRefSegments(input)).toEqual(segments);
  });

  it('writes refs that read back to the same segments', () => {
    const segments = ['components', 'securitySchemes', 'a/b~c {d}%'];
    expect(localRefSegments(localRef(...segments))).toEqual(segments);
  });

  it('collects refs from shared and self-containing trees without looping', () => {
    const shared = ref('#/x');
    const looped: Record<string, unknown> = { a: shared, b: shared };
    looped.self = looped;
    expect(collectRefs(looped)).toEqual(['#/x']);
  });
});

describe('componentClosure', () => {
  it('follows refs transitively through cycles and self-references', () => {
    expect(
      componentClosure(DOCUMENT, [
        ref('#/components/schemas/A'),
        ref('#/components/schemas/Node'),
      ]),
    ).toEqual({
      components: {
        schemas: {
          Node: DOCUMENT.components.schemas.Node,
          A: DOCUMENT.components.schemas.A,
          B: DOCUMENT.components.schemas.B,
          C: DOCUMENT.components.schemas.C,
        },
      },
    });
  });

  it('keeps sections and names in document order and drops what is unreferenced', () => {
    const closure = componentClosure(DOCUMENT, [
      { schema: ref('#/components/schemas/a~1b~0c') },
      [ref('#/components/parameters/Used')],
    ]) as any;
    expect(Object.keys(closure.components)).toEqual(['schemas', 'parameters']);
    expect(Object.keys(closure.components.schemas)).toEqual(['a/b~c', 'D']);
    expect(Object.keys(closure.components.parameters)).toEqual(['Used']);
  });

  it('ignores dangling and external refs', () => {
    expect(
      componentClosure(DOCUMENT, [
        ref('#/components/schemas/Missing'),
        ref('common.yaml#/Money'),
        ref('#/components'),
      ]),
    ).toEqual({});
  });

  it('follows Swagger 2 definitions and named security schemes', () => {
    const swagger = {
      swagger: '2.0',
      definitions: {
        Pet: { properties: { tag: ref('#/definitions/Tag') } },
        Tag: {},
        Other: {},
      },
      securityDefinitions: {
        key: { type: 'apiKey' },
        unused: { type: 'basic' },
      },
    };
    expect(
      componentClosure(
        swagger,
        [ref('#/definitions/Pet')],
        [localRef('securityDefinitions', 'key')],
      ),
    ).toEqual({
      definitions: { Pet: swagger.definitions.Pet, Tag: {} },
      securityDefinitions: { key: { type: 'apiKey' } },
    });
  });
});

describe('buildSelectedDocument', () => {
  it('keeps the document order, replaces selected keys and drops the rest', () => {
    const document = {
      openapi: '3.1.0',
      info: { title: 'T' },
      tags: [{ name: 'unused' }],
      paths: { '/a': { get: ref('#/components/schemas/D') }, '/b': {} },
      components: DOCUMENT.components,
    };
    const selected = buildSelectedDocument({
      document,
      replaced: { paths: { '/a': document.paths['/a'] } },
      kept: ['openapi', 'info'],
    });
    expect(selected).toEqual({
      openapi: '3.1.0',
      info: { title: 'T' },
      paths: { '/a': document.paths['/a'] },
      components: { schemas: { D: { type: 'string' } } },
    });
    expect(Object.keys(selected)).toEqual([
      'openapi',
      'info',
      'paths',
      'components',
    ]);
  });
});
