import { parse } from 'yaml';
import { readExampleDefinition } from './__testUtils__/exampleApis';
import {
  asyncApiOutline,
  capOutline,
  MAX_OUTLINE_LINES,
  openApiOutline,
} from './outline';
import { graphqlOutline, protoOutline } from './textOutline';

describe('outlines', () => {
  it('lists every OpenAPI operation with its summary', () => {
    const outline = openApiOutline(parse(readExampleDefinition('payment-api')));
    expect(outline).toEqual([
      'POST /payment-intents — Create a payment intent',
      'GET /payment-intents — List payment intents',
      'GET /payment-intents/{paymentIntentId} — Get a payment intent',
      'POST /payment-intents/{paymentIntentId}/confirm — Confirm a payment intent',
      'POST /payment-intents/{paymentIntentId}/capture — Capture authorised funds',
      'POST /payment-intents/{paymentIntentId}/cancel — Cancel a payment intent',
      'POST /refunds — Refund a captured payment',
      'GET /refunds/{refundId} — Get a refund',
      'GET /payment-methods — List available payment methods',
    ]);
  });

  it('falls back to the operationId and marks deprecated operations', () => {
    expect(
      openApiOutline({
        paths: {
          '/a': {
            parameters: [],
            delete: { operationId: 'dropA', deprecated: true },
            get: {},
          },
        },
      }),
    ).toEqual(['DELETE /a — dropA (deprecated)', 'GET /a']);
  });

  it('lists AsyncAPI 2.x channels with their operations and message names', () => {
    expect(
      asyncApiOutline(parse(readExampleDefinition('payment-events'))),
    ).toEqual([
      'payments.intents.v2 — subscribe: PaymentAuthorized, PaymentCaptured, PaymentFailed',
      'payments.refunds.v2 — subscribe: RefundCompleted',
    ]);
  });

  it('lists AsyncAPI 3 channels with their operations and messages', () => {
    expect(
      asyncApiOutline({
        asyncapi: '3.0.0',
        channels: {
          signedUp: {
            address: 'users.signed-up',
            messages: { UserSignedUp: {} },
          },
        },
        operations: {
          onSignUp: {
            action: 'receive',
            channel: { $ref: '#/channels/signedUp' },
          },
        },
      }),
    ).toEqual([
      'signedUp (users.signed-up) — receive onSignUp; messages: UserSignedUp',
    ]);
  });

  it('lists GraphQL declarations with the fields of root types', () => {
    const outline = graphqlOutline(readExampleDefinition('storefront-graphql'));
    expect(outline).toContain('scalar DateTime');
    expect(outline).toContain('enum Availability');
    expect(outline).toContain('input AddToCartInput');
    expect(outline).toContain(
      'type Query — product, category, searchProducts, cart, me',
    );
    expect(outline).toContain(
      'type Mutation — addToCart, updateCartItem, removeFromCart, startCheckout',
    );
    expect(outline).toContain('type Product');
    expect(outline).toHaveLength(24);
  });

  it('lists gRPC services with their rpcs, and messages', () => {
    const outline = protoOutline(readExampleDefinition('pricing-grpc'));
    expect(outline.slice(0, 4)).toEqual([
      'service PricingService',
      '  rpc GetPrices(GetPricesRequest) returns (GetPricesResponse)',
      '  rpc PriceBasket(PriceBasketRequest) returns (PricedBasket)',
      'message Money',
    ]);
    expect(outline).toContain('message PricedBasket');
    expect(
      protoOutline(
        'service S {\n  rpc Watch(stream A) returns (stream B); // live\n}',
      ),
    ).toEqual(['service S', '  rpc Watch(stream A) returns (stream B)']);
  });

  it('caps a long outline with a note on how to see the rest', () => {
    const lines = Array.from(
      { length: MAX_OUTLINE_LINES + 5 },
      (_, i) => `GET /r${i}`,
    );
    const capped = capOutline(lines, 'select paths.');
    expect(capped).toHaveLength(MAX_OUTLINE_LINES + 1);
    expect(capped[MAX_OUTLINE_LINES - 1]).toBe(
      `GET /r${MAX_OUTLINE_LINES - 1}`,
    );
    expect(capped[MAX_OUTLINE_LINES]).toBe(
      '… 5 more entries left out of this outline; select paths.',
    );
    expect(capOutline(lines.slice(0, 3), 'x')).toEqual(lines.slice(0, 3));
  });
});
