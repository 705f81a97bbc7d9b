import { McpToolResource } from '@backstage-mcp/plugin-mcp-common';
import type { Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { McpTool } from '../tools/types';
import { listedInputSchema, listedOutputSchema } from './listedSchema';

const TOOL_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** A tool's input or output JSON Schema as `tools/list` shows it. */
export type ToolJsonSchema = Tool['inputSchema'];

/** The JSON shape of a tool in `tools/list`. */
export interface ListedTool {
  name: string;
  title: string;
  description: string;
  inputSchema: ToolJsonSchema;
  outputSchema: NonNullable<Tool['outputSchema']>;
  annotations: Partial<McpTool['annotations']>;
}

/** A served tool with everything a call needs, prepared at startup. */
export interface ServedTool {
  tool: McpTool;
  resource: McpToolResource;
  /** Names of the downstream permissions the tool exercises. */
  downstreamPermissionNames: readonly string[];
  /**
   * True when what the tool does downstream is not declared (bridged
   * actions): callers whose token's accessRestrictions bound what they may
   * do downstream cannot be held to them, so they may not use it.
   */
  undeclaredDownstream: boolean;
  listed: ListedTool;
}

function toJsonSchema(schema: z.ZodObject, io: 'input' | 'output') {
  const { $schema, ...jsonSchema } = z.toJSONSchema(schema, { io });
  // The dialect goes without saying (2020-12, MCP's default) unless the
  // tool states it in the schema's metadata, along with keywords zod cannot
  // express ($defs, if/then/else), which the listing keeps as stated.
  const stated = schema.meta()?.$schema !== undefined;
  return (stated ? { $schema, ...jsonSchema } : jsonSchema) as ToolJsonSchema;
}

/**
 * Prepares a tool for serving: its resource for the permission gate and its
 * listing, with JSON Schemas derived from its zod schemas unless given
 * (bridged actions bring their own).
 */
export function prepareTool(
  tool: McpTool,
  given: {
    inputSchema?: ToolJsonSchema;
    outputSchema?: ToolJsonSchema;
    undeclaredDownstream?: boolean;
  } = {},
): ServedTool {
  if (!TOOL_NAME_PATTERN.test(tool.name)) {
    throw new Error(`Tool name "${tool.name}" must match ${TOOL_NAME_PATTERN}`);
  }
  return {
    tool,
    resource: {
      name: tool.name,
      toolset: tool.toolset,
      readOnly: tool.annotations.readOnlyHint,
    },
    downstreamPermissionNames: tool.downstreamPermissions.map(p => p.name),
    undeclaredDownstream: given.undeclaredDownstream ?? false,
    listed: {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: listedInputSchema(
        given.inputSchema ?? toJsonSchema(tool.inputSchema, 'input'),
      ),
      outputSchema: listedOutputSchema(
        given.outputSchema ?? toJsonSchema(tool.outputSchema, 'output'),
      ),
      annotations: listedAnnotations(tool.annotations),
    },
  };
}

/**
 * The hints as listed. Both eras show the title at the top level, so the
 * annotations do not repeat it; a read-only tool's destructive and
 * idempotent hints mean nothing (the spec: "meaningful only when
 * readOnlyHint == false"), so they are left out.
 */
function listedAnnotations(
  annotations: McpTool['annotations'],
): ListedTool['annotations'] {
  if (!annotations.readOnlyHint) return { ...annotations };
  return {
    readOnlyHint: true,
    openWorldHint: annotations.openWorldHint,
  };
}

interface Snapshot {
  tools: readonly ServedTool[];
  byName: ReadonlyMap<string, ServedTool>;
}

/** Reuses the last result while `source` returns the same list. */
function snapshots(source: () => readonly ServedTool[]): () => Snapshot {
  let last: Snapshot | undefined;
  return () => {
    const tools = source();
    if (last?.tools !== tools) {
      last = {
        tools,
        byName: new Map(tools.map(entry => [entry.tool.name, entry])),
      };
    }
    return last;
  };
}

/**
 * The tools this server serves, in listing order, with their JSON Schemas
 * built once: `tools/list` then only filters this list per caller. The list
 * may change at runtime (bridged actions are read again on a schedule):
 * each read sees one consistent list, and the work of a change is done
 * once, by the first request after it.
 */
export class ToolInventory {
  readonly #snapshot: () => Snapshot;

  /** `source` returns the same array as long as the list is unchanged. */
  constructor(source: () => readonly ServedTool[]) {
    this.#snapshot = snapshots(source);
  }

  /** A fixed list of tools, checked for malformed and duplicate names. */
  static of(tools: readonly McpTool[]): ToolInventory {
    const entries = tools.map(tool => prepareTool(tool));
    const seen = new Set<string>();
    for (const { tool } of entries) {
      if (seen.has(tool.name))
        throw new Error(`Tool "${tool.name}" is defined twice`);
      seen.add(tool.name);
    }
    return new ToolInventory(() => entries);
  }

  get tools(): readonly ServedTool[] {
    return this.#snapshot().tools;
  }

  /**
   * This inventory followed by the tools `more` returns (e.g. bridged
   * actions); `more` must not repeat this inventory's names.
   */
  concat(more: () => readonly ServedTool[]): ToolInventory {
    let combined:
      | {
          head: readonly ServedTool[];
          tail: readonly ServedTool[];
          all: ServedTool[];
        }
      | undefined;
    return new ToolInventory(() => {
      const head = this.tools;
      const tail = more();
      if (combined?.head !== head || combined.tail !== tail) {
        combined = { head, tail, all: [...head, ...tail] };
      }
      return combined.all;
    });
  }

  /**
   * The tools that pass `keep`, sharing this inventory's prepared schemas:
   * named endpoints serve subsets without preparing them again.
   */
  subset(keep: (entry: ServedTool) => boolean): ToolInventory {
    let filtered:
      | { from: readonly ServedTool[]; kept: ServedTool[] }
      | undefined;
    return new ToolInventory(() => {
      const from = this.tools;
      if (filtered?.from !== from) filtered = { from, kept: from.filter(keep) };
      return filtered.kept;
    });
  }

  /** Every downstream permission any tool exercises, once each. */
  downstreamPermissions() {
    const byName = new Map(
      this.tools
        .flatMap(t => t.tool.downstreamPermissions)
        .map(p => [p.name, p]),
    );
    return [...byName.values()];
  }

  get(name: string): ServedTool | undefined {
    return this.#snapshot().byName.get(name);
  }
}
