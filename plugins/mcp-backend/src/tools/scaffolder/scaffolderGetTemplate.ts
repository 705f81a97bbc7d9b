import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { templateParameterReadPermission } from '@backstage/plugin-scaffolder-common/alpha';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod';
import { readOnlyAnnotations } from '../annotations';
import { entityRefField } from '../shared/fields';
import { compact } from '../shared/entitySummary';
import { defineTool } from '../types';
import { pickerHints, pickerHintSchema } from './pickerHints';
import { loadTemplate } from './templateSchema';

const NAME = 'scaffolder_get_template';

function titles(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .map(item =>
      typeof item === 'object' && item !== null
        ? (item as any).title
        : undefined,
    )
    .filter((title): title is string => typeof title === 'string');
}

/** `scaffolder_get_template`: what a template asks for, as one JSON Schema. */
export function createScaffolderGetTemplateTool(deps: {
  catalog: CatalogService;
  scaffolder: ScaffolderService;
}) {
  const { catalog, scaffolder } = deps;
  return defineTool({
    name: NAME,
    title: 'Get a software template',
    toolset: 'scaffolder',
    description: [
      "A template's parameters as one JSON Schema (pages merged, x-page per field), required and secret fields, where pickers find values, steps, outputs. Next: scaffolder_validate_values, scaffolder_run_template. Never ask for secret fields in chat: the user enters them in the portal.",
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
    }),
    outputSchema: z.object({
      ref: z.string(),
      title: z.string(),
      description: z.string().optional(),
      parameters: z
        .record(z.string(), z.unknown())
        .describe('JSON Schema of values, all pages merged, ui:* hints kept'),
      required: z.array(z.string()),
      pages: z
        .array(
          z.object({
            title: z.string(),
            description: z.string().optional(),
            fields: z.array(z.string()),
          }),
        )
        .describe('Form pages in order'),
      secret_fields: z
        .array(z.string())
        .describe('The user enters these in the portal; never pass them'),
      pickers: z.array(pickerHintSchema),
      steps: z.array(
        z.object({
          id: z.string().optional(),
          name: z.string().optional(),
          action: z.string(),
        }),
      ),
      output: z
        .object({
          links: z.array(z.string()).optional(),
          text: z.array(z.string()).optional(),
        })
        .describe('Titles of the links and texts it outputs'),
      next_step: z.string(),
    }),
    downstreamPermissions: [
      catalogEntityReadPermission,
      templateParameterReadPermission,
    ],
    annotations: readOnlyAnnotations,
    async handle(input, { credentials }) {
      const { entity, ref, parameterSchema, merged } = await loadTemplate({
        catalog,
        scaffolder,
        credentials,
        input: input.ref,
      });
      const spec = (entity.spec ?? {}) as Record<string, any>;
      const steps = (Array.isArray(spec.steps) ? spec.steps : [])
        .filter(
          (s: any) =>
            typeof s === 'object' && s !== null && typeof s.action === 'string',
        )
        .map((s: any) =>
          compact({
            id: typeof s.id === 'string' ? s.id : undefined,
            name: typeof s.name === 'string' ? s.name : undefined,
            action: s.action as string,
          }),
        );
      const output = spec.output ?? {};
      const description =
        parameterSchema.description ?? entity.metadata.description;
      return {
        ref,
        title:
          parameterSchema.title ??
          entity.metadata.title ??
          entity.metadata.name,
        ...(description ? { description } : {}),
        parameters: merged.schema,
        required: merged.required,
        pages: merged.pages,
        secret_fields: merged.secretFields,
        pickers: pickerHints(merged.schema),
        steps,
        output: compact({
          links: titles(output.links),
          text: titles(output.text),
        }),
        next_step:
          `Collect the values (ask the user for anything you cannot infer; secret fields are entered in Backstage, not here), ` +
          `check them with scaffolder_validate_values {"ref": "${ref}", "values": {...}}, ` +
          `then run the template with scaffolder_run_template`,
      };
    },
  });
}
