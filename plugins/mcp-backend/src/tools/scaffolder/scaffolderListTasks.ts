import { InputError } from '@backstage/errors';
import { taskReadPermission } from '@backstage/plugin-scaffolder-common/alpha';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { readOnlyAnnotations } from '../annotations';
import { cursorField, pageSizeField } from '../shared/fields';
import {
  decodeOffsetCursor,
  offsetPageFields,
  pagedOutputSchema,
} from '../shared/pagination';
import { defineTool } from '../types';
import { summarizeTask, TASK_STATUSES, taskSummarySchema } from './taskSummary';

const NAME = 'scaffolder_list_tasks';

/** `scaffolder_list_tasks`: the scaffolder tasks of the caller, or all visible ones. */
export function createScaffolderListTasksTool(deps: {
  scaffolder: ScaffolderService;
  config: McpConfig;
}) {
  const { scaffolder, config } = deps;
  const statusEnum = z.enum(TASK_STATUSES);
  return defineTool({
    name: NAME,
    title: 'List scaffolder tasks',
    toolset: 'scaffolder',
    description: [
      "Scaffolder tasks (template runs) with template, status and creator; scaffolder_get_task gives one's steps, logs, output.",
    ].join('\n'),
    inputSchema: z.strictObject({
      owner: z
        .enum(['me', 'all'])
        .default('me')
        .describe('me: tasks you created; all: every task you may read'),
      status: z
        .union([
          statusEnum,
          z.array(statusEnum).min(1).max(TASK_STATUSES.length),
        ])
        .optional()
        .describe('Only this status, or any of these'),
      limit: pageSizeField(
        config.results.defaultPageSize,
        config.results.maxPageSize,
      ),
      cursor: cursorField,
    }),
    outputSchema: pagedOutputSchema(taskSummarySchema).extend({
      owner: z.string().describe('"all" or your user ref'),
    }),
    downstreamPermissions: [taskReadPermission],
    annotations: readOnlyAnnotations,
    async handle(input, { credentials, caller }) {
      const offset = decodeOffsetCursor(input.cursor);
      let createdBy: string | undefined;
      if (input.owner === 'me') {
        const principal = caller.principal as
          | { type: 'user'; userEntityRef: string }
          | { type: string; userEntityRef?: undefined };
        if (principal.type !== 'user' || !principal.userEntityRef) {
          throw new InputError(
            'owner "me" lists the tasks a user created, and you are calling as a service, not a user. ' +
              'Call scaffolder_list_tasks with {"owner": "all"} instead',
          );
        }
        createdBy = principal.userEntityRef;
      }

      const { items, totalItems } = await scaffolder.listTasks(
        { createdBy, limit: input.limit, offset, status: input.status },
        { credentials },
      );
      const shown = items.slice(0, input.limit);
      return {
        owner: createdBy ?? 'all',
        items: shown.map(summarizeTask),
        ...offsetPageFields(NAME, offset, shown.length, totalItems),
      };
    },
  });
}
