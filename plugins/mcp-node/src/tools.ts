import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Permission } from '@backstage/plugin-permission-common';
import type {
  ContentBlock,
  InputRequiredResult,
} from '@modelcontextprotocol/server';
import { z } from 'zod';

/**
 * MCP tool annotations. All four are required here so that every tool states
 * them honestly instead of inheriting the protocol's pessimistic defaults.
 *
 * @public
 */
export interface McpToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  /** True when the tool reaches beyond the portal (external systems). */
  openWorldHint: boolean;
}

/**
 * Entity fields a tool copies into its result under other names. Paths are
 * dot paths from the result's root; lists on the way are traversed.
 *
 * @public
 */
export interface RedactionAliases {
  /**
   * Result path → the entity field it was copied from, e.g.
   * `{ 'owners.members.email': 'spec.profile.email' }`: a restriction of
   * `spec.profile.email` then applies to `owners[].members[].email`.
   */
  fields?: Record<string, string>;
  /**
   * Result paths of lists of `{ label, value }` entries whose label may be
   * an annotation key: an entry whose label an annotation pattern matches is
   * restricted like the annotation.
   */
  annotationEntries?: string[];
  /**
   * A result that lists values of an entity field the caller named:
   * `field` is the result path of that field's name, `values` the result
   * path of its values. Values of a restricted field are masked (removing
   * them would break the result's shape; their counts reveal nothing).
   */
  valuesOfField?: { field: string; values: string };
  /**
   * Lists whose items each stand for an entity (`ref`, the item's entity
   * ref) and carry free text that may quote its fields, e.g. search hits
   * (the catalog collator indexes a user's e-mail): the restricted values of
   * that entity are masked in the `text` fields wherever they occur. An item
   * whose entity the caller cannot read loses those fields.
   */
  entityText?: { items: string; ref: string; text: string[] };
}

/**
 * What the MCP client can do for a tool during one call, beyond receiving its
 * result.
 *
 * @public
 */
export interface McpClientInteraction {
  /**
   * Elicitation modes the client declared on this request. Only 2026-07-28
   * requests declare capabilities; stateless 2025-era requests carry none, so
   * both are false for them.
   */
  elicitation: { form: boolean; url: boolean };
  /**
   * Whether the client declared on this request that it answers sampling
   * (`sampling/createMessage`) input requests; false for 2025-era requests,
   * as for elicitation.
   */
  sampling: boolean;
  /** The same for roots (`roots/list`) input requests. */
  roots: boolean;
  /**
   * Answers to the input requests of the previous round (2026-07-28
   * multi-round-trip), keyed as the tool asked. Untrusted client input.
   */
  inputResponses?: Record<string, unknown>;
  /** The requestState the client echoed from the previous round. Untrusted. */
  requestState?: string;
  /** Sends a progress notification if the client asked for progress. */
  reportProgress(update: {
    progress: number;
    total?: number;
    message?: string;
  }): Promise<void>;
}

/**
 * What a tool handler gets besides its input, for one call.
 *
 * @public
 */
export interface McpToolCallContext {
  /**
   * The credentials to pass on to every service call: the caller's own. For
   * a static token with accessRestrictions, the plugin's service credentials:
   * Backstage will not delegate such a token to another plugin, and the MCP
   * gate has applied its restrictions to the tool already (other plugins see
   * any service caller as this plugin anyway).
   */
  credentials: BackstageCredentials;
  /** Who is calling: for identity (whoami, ownership), never for service calls. */
  caller: BackstageCredentials;
  /**
   * The names of the tools this caller may invoke, in listing order;
   * computed on demand, since only whoami needs it.
   */
  listAllowedToolNames(): string[];
  /** Aborted when the client cancels or disconnects. */
  signal?: AbortSignal;
  /**
   * The MCP client as it names itself (untrusted): 2026-07-28 clients name
   * themselves on every request, 2025-era requests carry no name.
   */
  client?: { name?: string; version?: string };
  interaction: McpClientInteraction;
}

/**
 * A tool: its public definition as data, plus a handler. Handlers receive their
 * services when the tool is created (see each toolset's factory), and the
 * caller's context on every call.
 *
 * @public
 */
export interface McpTool<
  TInput extends z.ZodObject = z.ZodObject,
  TOutput extends z.ZodObject = z.ZodObject,
> {
  /** snake_case, `<toolset>_<verb>_<noun>`; public API. */
  name: string;
  title: string;
  /**
   * The toolset the tool belongs to: what `mcp.toolsets`, agent scopes and
   * the `IS_IN_TOOLSET` permission rule name.
   */
  toolset: string;
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
  /**
   * Where the result carries entity fields under other names, so that field
   * restrictions (`mcp.redaction`) reach them too.
   */
  redactionAliases?: RedactionAliases;
  /**
   * How the output renders as the result's content blocks, for a tool whose
   * answer is more than JSON: an image, audio, an embedded resource, several
   * blocks. Without it, the content is the output's JSON text copy. The
   * output stays the result's `structuredContent`.
   *
   * It receives the output after every governance step (text hygiene, field
   * restrictions) and must build the blocks from that output alone (plus
   * fixed text), so that what the client sees is what governance let
   * through. An error it throws is answered like the handler's.
   */
  renderContent?(output: z.output<TOutput>): ContentBlock[];
  /**
   * How long a call may wait on purpose (following a task, a docs build),
   * in milliseconds: added to mcp.callTimeout, which bounds the time spent
   * waiting for the services the tool calls.
   */
  waitsMs?(input: z.output<TInput>): number;
  /**
   * Returns the tool's output, or (2026-07-28 clients that declared the
   * capability) an input-required result asking the client for more input.
   */
  handle(
    input: z.output<TInput>,
    context: McpToolCallContext,
  ): Promise<z.input<TOutput> | InputRequiredResult>;
}

/**
 * Declares a tool with its input and output types inferred from its schemas.
 *
 * @public
 */
export function createMcpTool<
  TInput extends z.ZodObject,
  TOutput extends z.ZodObject,
>(tool: McpTool<TInput, TOutput>): McpTool {
  return tool as unknown as McpTool;
}
