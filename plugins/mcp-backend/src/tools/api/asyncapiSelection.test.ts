import { parse } from 'yaml';
import { readExampleDefinition } from './__testUtils__/exampleApis';
import { selectAsyncApi } from './asyncapiSelection';

const PAYMENT_EVENTS = parse(readExampleDefinition('payment-events'));

describe('selectAsyncApi', () => {
  it('selects a 2.x channel by prefix with the messages, traits and schemas it references', () => {
    const { document, selection } = selectAsyncApi(PAYMENT_EVENTS, {
      channels: ['payments.refunds'],
    }) as any;
    expect(selection).toEqual({ channels: ['payments.refunds.v2'] });
    expect(Object.keys(document)).toEqual([
      'asyncapi',
      'id',
      'info',
      'servers',
      'defaultContentType',
      'channels',
      'components',
    ]);
    expect(document.channels).toEqual({
      'payments.refunds.v2': PAYMENT_EVENTS.channels['payments.refunds.v2'],
    });
    expect(Object.keys(document.components.messages)).toEqual([
      'RefundCompleted',
    ]);
    expect(Object.keys(document.components.messageTraits)).toEqual([
      'CommonHeaders',
    ]);
    expect(Object.keys(document.components.schemas)).toEqual(['Money']);
    // The production server names this scheme in its security requirement.
    expect(Object.keys(document.components.securitySchemes)).toEqual([
      'saslScram',
    ]);
  });

  it('reports selectors that matched nothing and lists channels when none matched', () => {
    expect(
      selectAsyncApi(PAYMENT_EVENTS, {
        channels: ['payments.intents.v2', 'nope'],
      }).selection,
    ).toEqual({ channels: ['payments.intents.v2'], unmatched: ['nope'] });
    expect(() =>
      selectAsyncApi(PAYMENT_EVENTS, { channels: ['orders'] }),
    ).toThrow(
      /Available channels \(2\): payments\.intents\.v2, payments\.refunds\.v2/,
    );
  });

  it('selects an AsyncAPI 3 channel by address with the operations on it', () => {
    const document = {
      asyncapi: '3.0.0',
      info: { title: 'T', version: '1' },
      channels: {
        userSignedUp: {
          address: 'users.signed-up',
          messages: {
            UserSignedUp: { $ref: '#/components/messages/UserSignedUp' },
          },
        },
        userDeleted: { address: 'users.deleted', messages: {} },
      },
      operations: {
        onUserSignedUp: {
          action: 'receive',
          channel: { $ref: '#/channels/userSignedUp' },
        },
        onUserDeleted: {
          action: 'receive',
          channel: { $ref: '#/channels/userDeleted' },
        },
      },
      components: {
        messages: {
          UserSignedUp: { payload: { $ref: '#/components/schemas/User' } },
          Unused: {},
        },
        schemas: { User: { type: 'object' }, Other: {} },
      },
    };
    const selected = selectAsyncApi(document, { channels: ['users.signed'] });
    expect(selected.selection).toEqual({ channels: ['userSignedUp'] });
    expect(selected.document).toEqual({
      asyncapi: '3.0.0',
      info: document.info,
      channels: { userSignedUp: document.channels.userSignedUp },
      operations: { onUserSignedUp: document.operations.onUserSignedUp },
      components: {
        messages: { UserSignedUp: document.components.messages.UserSignedUp },
        schemas: { User: { type: 'object' } },
      },
    });
  });
});
