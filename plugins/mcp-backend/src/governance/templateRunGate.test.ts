import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTemplateRunGate } from './templateRunGate';

const template = (tags: string[]) => ({
  ref: 'template:default/nodejs-service',
  entity: {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'nodejs-service', tags },
  },
});

describe('createTemplateRunGate with mcp.defaultAgent', () => {
  const gate = createTemplateRunGate({
    permissions: mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    }),
    agents: new Map([
      ['listed-bot', { toolsets: new Set(['scaffolder' as const]) }],
    ]),
    defaultAgent: { templates: ['tag:agent-safe'] },
  });

  it.each([
    [
      'an unlisted agent, a template off the default allowlist',
      mockCredentials.service('other-bot'),
      [],
      /not on this agent's template allowlist .*mcp\.defaultAgent/,
    ],
    [
      'an unlisted agent, a template on the default allowlist',
      mockCredentials.service('other-bot'),
      ['agent-safe'],
      undefined,
    ],
    [
      'a listed agent without templates, whose entry replaces the default',
      mockCredentials.service('listed-bot'),
      [],
      undefined,
    ],
    ['a user', mockCredentials.user(), [], undefined],
  ])('decides %s', async (_name, credentials, tags, refusal) => {
    const outcome = await gate(template(tags), credentials).then(
      () => 'allowed',
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(refusal ?? /^allowed$/);
  });
});
