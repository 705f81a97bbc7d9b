import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogEntityValidatePermission } from '@backstage/plugin-catalog-common/alpha';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { defineTool } from '../types';

/** Descriptor files hold a handful of entities; more is a sign of the wrong input. */
const MAX_DOCUMENTS = 20;
const DEFAULT_LOCATION = 'https://example.invalid/catalog-info.yaml';

const documentSchema = z.object({
  index: z
    .number()
    .describe('Position of the document in the YAML text, from 0'),
  ref: z
    .string()
    .optional()
    .describe('The entity ref the document declares, when it has one'),
  valid: z.boolean(),
  errors: z.array(z.string()).describe('What to fix, one message per problem'),
});

type DocumentReport = z.infer<typeof documentSchema>;

function refOf(value: Record<string, any>): string | undefined {
  try {
    return stringifyEntityRef(value as any);
  } catch {
    return undefined;
  }
}

/** `catalog_validate_entity`: check descriptors with the catalog's own validation, writing nothing. */
export function createCatalogValidateEntityTool(deps: {
  catalog: CatalogService;
}) {
  const { catalog } = deps;
  return defineTool({
    name: 'catalog_validate_entity',
    title: 'Validate catalog entity descriptors',
    toolset: 'catalog',
    description: [
      "Check catalog-info.yaml text with the catalog's own validation, changing nothing: errors per document. Fix and call again until valid; then catalog_register_location.",
    ].join('\n'),
    inputSchema: z.strictObject({
      yaml: z
        .string()
        .min(1)
        .max(200_000)
        .describe(`Up to ${MAX_DOCUMENTS} entities, separated by ---`),
      location: z
        .url()
        .max(2000)
        .optional()
        .describe('URL the file will have, to resolve relative references'),
    }),
    outputSchema: z.object({
      valid: z.boolean().describe('Every document is valid'),
      documents: z.array(documentSchema),
      next_step: z.string(),
    }),
    downstreamPermissions: [catalogEntityValidatePermission],
    annotations: {
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      // Processing may resolve $text/$json placeholders by reading URLs.
      openWorldHint: true,
    },
    async handle(input, { credentials }) {
      const documents = parseAllDocuments(input.yaml, { prettyErrors: false });
      const parsed = Array.isArray(documents) ? documents : [];
      if (parsed.length > MAX_DOCUMENTS) {
        throw new InputError(
          `The YAML holds ${parsed.length} documents; validate at most ${MAX_DOCUMENTS} at a time`,
        );
      }
      const locationRef = `url:${input.location ?? DEFAULT_LOCATION}`;
      const reports: DocumentReport[] = [];
      for (const [index, document] of parsed.entries()) {
        if (document.errors.length) {
          reports.push({
            index,
            valid: false,
            errors: document.errors.map(e => `YAML: ${e.message}`),
          });
          continue;
        }
        const value = document.toJS();
        if (value === null || value === undefined) continue; // an empty document, e.g. a trailing ---
        if (typeof value !== 'object' || Array.isArray(value)) {
          reports.push({
            index,
            valid: false,
            errors: [
              'An entity descriptor is a YAML mapping with apiVersion, kind, metadata and spec',
            ],
          });
          continue;
        }
        const ref = refOf(value);
        const response = await catalog.validateEntity(value, locationRef, {
          credentials,
        });
        reports.push({
          index,
          ...(ref ? { ref } : {}),
          valid: response.valid,
          errors: response.valid ? [] : response.errors.map(e => e.message),
        });
      }
      if (!reports.length) {
        throw new InputError('The YAML holds no entity descriptor');
      }
      const valid = reports.every(r => r.valid);
      return {
        valid,
        documents: reports,
        next_step: valid
          ? 'Every document is valid. Commit the file, then register its URL with catalog_register_location (dry run first)'
          : 'Fix the errors listed per document and call catalog_validate_entity again',
      };
    },
  });
}
