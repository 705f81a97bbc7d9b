import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { templateParameterReadPermission } from '@backstage/plugin-scaffolder-common/alpha';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod';
import { readOnlyAnnotations } from '../annotations';
import { entityRefField } from '../shared/fields';
import { defineTool } from '../types';
import { loadTemplate } from './templateSchema';
import {
  validateTemplateValues,
  validationResultSchema,
} from './validateValues';

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
      "Check values against a template's parameters as the portal's form would, running nothing: problems per field, missing and unknown fields. When valid: scaffolder_run_template.",
      'Example: {"ref": "nodejs-service", "values": {"name": "gift-cards"}}',
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
      values: z
        .record(z.string().max(200), z.unknown())
        .describe('Parameter name to value. Secrets must NOT be passed here'),
    }),
    outputSchema: validationResultSchema.extend({
      ref: z.string(),
      next_step: z.string(),
    }),
    opaqueInputs: ['values'],
    downstreamPermissions: [
      catalogEntityReadPermission,
      templateParameterReadPermission,
    ],
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
