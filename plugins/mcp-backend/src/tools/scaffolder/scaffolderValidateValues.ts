import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { templateParameterReadPermission } from '@backstage/plugin-scaffolder-common/alpha';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod';
import { readOnlyAnnotations } from '../annotations';
import { entityRefField } from '../shared/fields';
import { defineTool } from '../types';
import { loadTemplate } from './templateSchema';
import { validateTemplateValues, validationResultSchema } from './validateValues';

const NAME = 'scaffolder_validate_values';

/** `scaffolder_validate_values`: check template values before running it. */
export function createScaffolderValidateValuesTool(deps: {
  catalog: CatalogService;
  scaffolder: ScaffolderService;
}) {
  const { catalog, scaffolder } = deps;
  return defineTool({
    name: NAME,
    title: 'Validate template values',
    toolset: 'scaffolder',
    description: [
      'Check values for a software template against its parameter schema, as the Backstage form would, without running anything.',
      'Get the schema first with scaffolder_get_template. Example: {"ref": "nodejs-service", "values": {"name": "gift-card-service", "owner": "group:default/team-a", "system": "system:default/payments"}}.',
      'The result lists problems per field (with the expected type or allowed values), missing required fields and unknown fields. When valid is true, run the template with scaffolder_run_template.',
      'Never pass secret fields (see secret_fields of scaffolder_get_template): the user enters them in Backstage.',
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
      values: z
        .record(z.string().max(200), z.unknown())
        .describe(
          'The template parameters as an object, field name to value, e.g. {"name": "gift-card-service"}. Secrets must NOT be passed here',
        ),
    }),
    outputSchema: validationResultSchema.extend({
      ref: z.string().describe('Full template ref'),
      next_step: z.string(),
    }),
    opaqueInputs: ['values'],
    downstreamPermissions: [catalogEntityReadPermission, templateParameterReadPermission],
    annotations: readOnlyAnnotations,
    async handle(input, { credentials }) {
      const { ref, merged } = await loadTemplate({
        catalog,
        scaffolder,
        credentials,
        input: input.ref,
      });
      const result = validateTemplateValues(merged, input.values);
      return {
        ref,
        ...result,
        next_step: result.valid
          ? `Run the template with scaffolder_run_template {"ref": "${ref}", "values": <the same values>}`
          : 'Fix the problems (ask the user where you cannot infer a value) and validate again',
      };
    },
  });
}
