import { ActionsServiceAction } from '@backstage/backend-plugin-api/alpha';

/** An action as the actions service lists it, after the notifications plugin's. */
export const getNotificationsAction: ActionsServiceAction = {
  id: 'notifications:get-notifications',
  pluginId: 'notifications',
  name: 'get-notifications',
  title: 'Get Notifications',
  description: 'Fetches notifications for the current user.',
  schema: {
    input: {
      type: 'object',
      properties: {
        view: {
          type: 'string',
          enum: ['unread', 'all'],
          description: 'Which notifications',
        },
        limit: {
          type: 'integer',
          minimum: 1,
          maximum: 100,
          description: 'How many',
        },
      },
      additionalProperties: false,
      $schema: 'http://json-schema.org/draft-07/schema#',
    },
    output: {
      type: 'object',
      properties: { totalCount: { type: 'number' } },
      required: ['totalCount'],
      $schema: 'http://json-schema.org/draft-07/schema#',
    },
  },
  attributes: { readOnly: true, destructive: false, idempotent: true },
};

/** An action of another plugin with the given name and attributes. */
export function fakeAction(
  pluginId: string,
  name: string,
  attributes: Partial<ActionsServiceAction['attributes']> = {},
): ActionsServiceAction {
  return {
    ...getNotificationsAction,
    id: `${pluginId}:${name}`,
    pluginId,
    name,
    title: name,
    description: `Does ${name}.`,
    attributes: {
      readOnly: true,
      destructive: false,
      idempotent: true,
      ...attributes,
    },
  };
}
