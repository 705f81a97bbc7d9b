import { parse } from 'yaml';
import { readExampleDefinition } from './__testUtils__/exampleApis';
import { selectOpenApi } from './openapiSelection';

const PAYMENT_API = parse(readExampleDefinition('payment-api'));

const names = (section: Record<string, unknown> | undefined) =>
  Object.keys(section ?? {});

describe('selectOpenApi', () => {
  it('selects every path under a prefix, with exactly the components they reference', () => {
    const { document, selection } = selectOpenApi(PAYMENT_API, {
      paths: ['/refunds'],
    }) as any;
    expect(selection).toEqual({ paths: ['/refunds', '/refunds/{refundId}'] });
    expect(Object.keys(document)).toEqual([
      'openapi',
      'info',
      'servers',
      'security',
      'paths',
      'components',
    ]);
    expect(document.paths).toEqual({
      '/refunds': PAYMENT_API.paths['/refunds'],
      '/refunds/{refundId}': PAYMENT_API.paths['/refunds/{refundId}'],
    });
    // Refund -> Money -> CurrencyCode is reached only through other schemas.
    expect(names(document.components.schemas)).toEqual([
      'CurrencyCode',
      'Money',
      'CreateRefundRequest',
      'Refund',
      'Error',
    ]);
    expect(names(document.components.parameters)).toEqual(['IdempotencyKey']);
    expect(names(document.components.responses)).toEqual([
      'BadRequest',
      'NotFound',
      'Conflict',
    ]);
    // Named by the top-level security requirement, not by a $ref.
    expect(names(document.components.securitySchemes)).toEqual([
      'serviceToken',
    ]);
    expect(document.components.schemas.Refund).toEqual(
      PAYMENT_API.components.schemas.Refund,
    );
  });

  it('selects one operation with its path-level parameters', () => {
    const { document, selection } = selectOpenApi(PAYMENT_API, {
      operations: ['get /payment-intents/{paymentIntentId}'],
    }) as any;
    expect(selection).toEqual({
      operations: ['GET /payment-intents/{paymentIntentId}'],
    });
    expect(document.paths).toEqual({
      '/payment-intents/{paymentIntentId}': {
        parameters: [{ $ref: '#/components/parameters/PaymentIntentId' }],
        get: PAYMENT_API.paths['/payment-intents/{paymentIntentId}'].get,
      },
    });
    expect(names(document.components.parameters)).toEqual(['PaymentIntentId']);
    expect(names(document.components.responses)).toEqual([
      'Unauthorized',
      'NotFound',
    ]);
    expect(names(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'PaymentIntent',
        'Money',
        'PaymentIntentStatus',
        'Error',
      ]),
    );
    expect(names(document.components.schemas)).not.toContain('Refund');
    expect(names(document.components.schemas)).not.toContain(
      'CreatePaymentIntentRequest',
    );
  });

  it('selects operations by operationId, of any case, next to a path', () => {
    const { document, selection } = selectOpenApi(PAYMENT_API, {
      paths: ['/payment-methods'],
      operations: ['CREATEREFUND', 'DELETE /refunds', 'noSuchOperation'],
    }) as any;
    expect(selection).toEqual({
      paths: ['/payment-methods'],
      operations: ['POST /refunds'],
      unmatched: ['DELETE /refunds', 'noSuchOperation'],
    });
    expect(Object.keys(document.paths)).toEqual([
      '/refunds',
      '/payment-methods',
    ]);
    expect(Object.keys(document.paths['/refunds'])).toEqual(['post']);
  });

  it('lists the available paths when nothing matches', () => {
    expect(() =>
      selectOpenApi(PAYMENT_API, {
        paths: ['/orders'],
        operations: ['GET /refunds'],
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(
          /matches \["\/orders","GET \/refunds"\].*Available paths \(8\): \/payment-intents, .*\/payment-methods\./,
        ),
      }),
    );
  });

  it('keeps the security schemes an operation names', () => {
    const document = {
      openapi: '3.0.0',
      paths: {
        '/a': { get: { security: [{ oauth: ['read'] }] } },
        '/b': { get: {} },
      },
      components: {
        securitySchemes: { oauth: { type: 'oauth2' }, key: { type: 'apiKey' } },
      },
    };
    expect(selectOpenApi(document, { paths: ['a'] }).document).toEqual({
      openapi: '3.0.0',
      paths: { '/a': document.paths['/a'] },
      components: { securitySchemes: { oauth: { type: 'oauth2' } } },
    });
  });
});
