import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Permission } from '@backstage/plugin-permission-common';
import { McpToolsetName } from '@backstage-mcp/plugin-mcp-common';
import { z } from 'zod';

/**
 * MCP tool annotations. All four are required here so that every tool states
 * them honestly instead of inheriting the protocol's pessimistic defaults.
 */
export interface McpToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  /** True when the tool reaches beyond the portal (external systems). */
  openWorldHint: boolean;
}

/** What a tool handler gets besides its input, for one call. */
export interface McpToolCallContext {
  /** The caller's credentials: pass them on to every service call. */
  credentials: BackstageCredentials;
  /**
   * The names of the tools this caller may invoke, in listing order;
   * computed on demand, since only whoami needs it.
   */
  listAllowedToolNames(): string[];
  /** Aborted when the client cancels or disconnects. */
  signal?: AbortSignal;
}

/**
 * A tool: its public definition as data, plus a handler. Handlers receive their
 * services when the tool is created (see each toolset's factory), and the
 * caller's context on every call.
 */
export interface McpTool<
  TInput extends z.ZodObject = z.ZodObject,
  TOutput extends z.ZodObject = z.ZodObject,
> {
  /** snake_case, `<toolset>_<verb>_<noun>`; public API. */
  name: string;
  title: string;
  toolset: McpToolsetName;
  /** Written for an agent that meets the tool for the first time. */
  description: string;
  inputSchema: TInput;
  outputSchema: TOutput;
  annotations: McpToolAnnotations;
  /**
   * The permissions of other plugins the tool exercises, e.g.
   * catalog.entity.read. Those plugins decide them for users; for static
   * tokens the gate checks them against the token's accessRestrictions,
   * because other plugins see a service caller as this plugin.
   */
  downstreamPermissions: Permission[];
  /**
   * Input fields whose values may hold what a user entered (template values,
   * which may include secrets under any name): audit events record only
   * their keys.
   */
  opaqueInputs?: string[];
  handle(
    input: z.output<TInput>,
    context: McpToolCallContext,
  ): Promise<z.input<TOutput>>;
}

/** Declares a tool with its input and output types inferred from its schemas. */
export function defineTool<TInput extends z.ZodObject, TOutput extends z.ZodObject>(
  tool: McpTool<TInput, TOutput>,
): McpTool {
  return tool as unknown as McpTool;
}
