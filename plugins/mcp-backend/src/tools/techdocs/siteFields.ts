import { z } from 'zod';
import { DocsSite } from './docsSite';

/** Output fields both TechDocs tools share: which docs were read, and how fresh. */
export const docsSiteFields = {
  ref: z.string().describe('Full ref of the entity'),
  docs_ref: z
    .string()
    .optional()
    .describe('The entity whose docs these are, when the entity points at another one for its docs'),
  built_at: z.string().optional().describe('When the docs were built (ISO 8601)'),
  build_triggered: z.boolean().optional().describe('True when this call had the docs built first'),
};

/** The values of {@link docsSiteFields} for a site. */
export function docsSiteValues(site: DocsSite) {
  const built = site.metadata.build_timestamp;
  return {
    ref: site.ref,
    docs_ref: site.docsRef,
    built_at: typeof built === 'number' ? new Date(built).toISOString() : undefined,
    build_triggered: site.buildTriggered || undefined,
  };
}
