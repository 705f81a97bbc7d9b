import { CatalogService } from '@backstage/plugin-catalog-node';
import { normalizeRef } from '../tools/shared/entityRefs';
import { entityRefArgument } from './entityArguments';
import { allowedSteps, userText } from './steps';
import { McpPrompt } from './types';

/** `create_service_from_template`: the scaffolder flow, from template to finished run. */
export function createCreateServiceFromTemplatePrompt(deps: {
  catalog: CatalogService;
}): McpPrompt {
  return {
    name: 'create_service_from_template',
    title: 'Create a service from a template',
    description:
      'Create a new service with a software template: read its parameters, fill in and validate the values, run it and follow it to the end.',
    arguments: [
      entityRefArgument({
        catalog: deps.catalog,
        name: 'template',
        kind: 'template',
        description:
          'The template\'s entity ref, e.g. "template:default/nodejs-service"',
      }),
      {
        name: 'name',
        description: 'The name of the new service, if already chosen',
        required: false,
      },
    ],
    essentialTools: ['scaffolder_run_template'],
    async get(args, { mayUseTool }) {
      const ref = normalizeRef(args.template!, 'template');
      const name = args.name?.trim();
      const steps = allowedSteps(
        [
          {
            tool: 'scaffolder_get_template',
            text: `{"ref": "${ref}"}: its parameters, which are required, and the pickers that need catalog values.`,
          },
          {
            tool: 'scaffolder_validate_values',
            text: `{"ref": "${ref}", "values": {...}}: check the values and fix every problem it reports.`,
          },
          {
            tool: 'scaffolder_run_template',
            text: `{"ref": "${ref}", "values": {...}, "wait": true}: run it and follow it to the end; report the links of the result.`,
          },
        ],
        mayUseTool,
      );
      return {
        description: `Create a service from ${ref}`,
        messages: [
          userText(
            `Create a new service from the template ${ref}${
              name ? ` named "${name}"` : ''
            }. Ask me for any value you cannot infer, and never invent secrets.\n${steps}`,
          ),
        ],
      };
    },
  };
}
