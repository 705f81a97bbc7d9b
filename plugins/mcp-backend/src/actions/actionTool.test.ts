import { mockCredentials } from '@backstage/backend-test-utils';
import { actionsServiceMock } from '@backstage/backend-test-utils/alpha';
import { ActionsServiceAction } from '@backstage/backend-plugin-api/alpha';
import { getNotificationsAction } from '../__testUtils__/actions';
import { NotFoundError, ResponseError } from '@backstage/errors';
import { callTool } from '../__testUtils__/toolTesting';
import { createActionTool, fitDescription } from './actionTool';

function toolFor(action: ActionsServiceAction = getNotificationsAction) {
  const actions = actionsServiceMock.mock();
  const entry = createActionTool({
    action,
    name: 'notifications_get_notifications',
    toolset: 'notifications-actions',
    actions,
  });
  return { actions, entry, tool: entry.tool };
}

describe('createActionTool', () => {
  it('lists the action with its own title, description, schemas and attributes', () => {
    const { entry } = toolFor();
    expect(entry.listed).toEqual({
      name: 'notifications_get_notifications',
      title: 'Get Notifications',
      description: 'Fetches notifications for the current user.',
      inputSchema: {
        type: 'object',
        properties: {
          view: {
            type: 'string',
            enum: ['unread', 'all'],
            description: 'Which notifications',
          },
          // A count's floor and the closed object are enforced, not listed.
          limit: { type: 'integer', maximum: 100, description: 'How many' },
        },
      },
      outputSchema: {
        type: 'object',
        properties: { totalCount: { type: 'number' } },
        required: ['totalCount'],
      },
      annotations: { readOnlyHint: true, openWorldHint: true },
    });
    expect(entry.tool.annotations).toEqual({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
    expect(entry.resource).toEqual({
      name: 'notifications_get_notifications',
      toolset: 'notifications-actions',
      readOnly: true,
    });
    expect(entry.undeclaredDownstream).toBe(true);
  });

  it('invokes the action with the credentials it is given, once', async () => {
    const { actions, tool } = toolFor();
    actions.invoke.mockResolvedValue({ output: { totalCount: 2 } });
    const credentials = mockCredentials.user('user:default/guest');
    await expect(callTool(tool, { view: 'all' }, credentials)).resolves.toEqual(
      { totalCount: 2 },
    );
    expect(actions.invoke).toHaveBeenCalledTimes(1);
    expect(actions.invoke).toHaveBeenCalledWith({
      id: 'notifications:get-notifications',
      input: { view: 'all' },
      credentials,
    });
  });

  it('refuses wrong arguments field by field before any request', () => {
    const { tool } = toolFor();
    const result = tool.inputSchema.safeParse({ limit: 0, colour: 'red' });
    expect(result.success).toBe(false);
    expect(
      result.error!.issues.map(issue => issue.path.join('.') || issue.code),
    ).toEqual(expect.arrayContaining(['limit', 'unrecognized_keys']));
  });

  it('says why when the owning plugin hides the action from the caller', async () => {
    const { actions, tool } = toolFor();
    const hidden = Object.assign(
      new Error('Request failed with 404 Not Found'),
      {
        name: 'ResponseError',
        cause: new NotFoundError(
          'Action "notifications:get-notifications" not found',
        ),
      },
    ) as ResponseError;
    actions.invoke.mockRejectedValue(hidden);
    await expect(callTool(tool, {})).rejects.toThrow(
      "notifications_get_notifications is not available to you: the notifications plugin's permission policy does not let you use its action",
    );
  });

  it("passes the action's own errors on", async () => {
    const { actions, tool } = toolFor();
    const missing = Object.assign(new Error('Request failed'), {
      name: 'ResponseError',
      cause: new NotFoundError('Entity component:default/nope not found'),
    });
    actions.invoke.mockRejectedValue(missing);
    await expect(callTool(tool, {})).rejects.toBe(missing);
  });

  it('cleans invisible characters out of third-party text', () => {
    const { entry } = toolFor({
      ...getNotificationsAction,
      title: 'Get\u200b Notifications',
      description: 'Fetches\u202e notifications\u001b[31m.',
    });
    expect(entry.listed.title).toBe('Get Notifications');
    expect(entry.listed.description).toBe('Fetches notifications.');
  });

  it('serves an action without attributes as neither read-only nor idempotent', () => {
    const { entry } = toolFor({
      ...getNotificationsAction,
      attributes: { readOnly: false, destructive: true, idempotent: false },
    });
    expect(entry.listed.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
    });
  });
});

describe('fitDescription', () => {
  it('keeps short descriptions whole', () => {
    expect(fitDescription('  One line.\n\nAnother paragraph.  ')).toBe(
      'One line.\n\nAnother paragraph.',
    );
  });

  it('keeps the first paragraphs that fit in 300 characters, marked as shortened', () => {
    const paragraph = `${'Word '.repeat(25).trim()}.`;
    const text = Array.from({ length: 6 }, () => paragraph).join('\n\n');
    const fitted = fitDescription(text);
    expect(fitted).toBe(`${paragraph}\n\n${paragraph} …`);
    expect(fitted.length).toBeLessThanOrEqual(302);
  });

  it('keeps a longer first paragraph whole when it fits in 1,024 characters', () => {
    const first = Array.from(
      { length: 12 },
      (_, i) => `Sentence number ${i} says something.`,
    ).join(' ');
    expect(first.length).toBeGreaterThan(300);
    expect(fitDescription(`${first}\n\nThe fields, restated.`)).toBe(
      `${first} …`,
    );
  });

  it('cuts a first paragraph longer than that at a sentence, within 1,024 characters', () => {
    const long = Array.from(
      { length: 40 },
      (_, i) => `Sentence number ${i} says something.`,
    ).join(' ');
    const fitted = fitDescription(long);
    expect(fitted.length).toBeLessThanOrEqual(1024);
    expect(fitted.endsWith('something. …')).toBe(true);
    expect(long.startsWith(fitted.slice(0, -2))).toBe(true);
  });
});
