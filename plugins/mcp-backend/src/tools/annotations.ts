import { McpToolAnnotations } from './types';

/** Annotations of a tool that only reads from the portal. */
export const readOnlyAnnotations: McpToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};
