import { z } from 'zod';
import { DocsSite } from '../../techdocs/docsSite';

/** Output fields both TechDocs tools share: which docs were read, and how fresh. */
export const docsSiteFields = {
  ref: z.string(),
  docs_ref: z
    .string()
    .optional()
    .describe('Where the docs are, if another entity'),
  built_at: z.string().optional(),
  build_triggered: z.boolean().optional().describe('This call built the docs'),
};

/** The values of {@link docsSiteFields} for a site. */
export function docsSiteValues(site: DocsSite) {
  const built = site.metadata.build_timestamp;
  return {
    ref: site.ref,
    docs_ref: site.docsRef,
    built_at:
      typeof built === 'number' ? new Date(built).toISOString() : undefined,
    build_triggered: site.buildTriggered || undefined,
  };
}
