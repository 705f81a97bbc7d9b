import { McpToolResource } from '@backstage-mcp/plugin-mcp-common';
import type { Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { McpTool } from '../tools/types';

const TOOL_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** The JSON shape of a tool in `tools/list`. */
export interface ListedTool {
  name: string;
  title: string;
  description: string;
  inputSchema: Tool['inputSchema'];
  outputSchema: NonNullable<Tool['outputSchema']>;
  annotations: McpTool['annotations'] & { title: string };
}

/** A served tool with everything a call needs, prepared at startup. */
export interface CatalogedTool {
  tool: McpTool;
  resource: McpToolResource;
  /** Names of the downstream permissions the tool exercises. */
  downstreamPermissionNames: readonly string[];
  listed: ListedTool;
}

function toJsonSchema(schema: z.ZodObject, io: 'input' | 'output') {
  const { $schema, ...jsonSchema } = z.toJSONSchema(schema, { io });
  // The dialect goes without saying (2020-12, MCP's default) unless the
  // tool states it in the schema's metadata, along with keywords zod cannot
  // express ($defs, if/then/else), which the listing keeps as stated.
  const stated = schema.meta()?.$schema !== undefined;
  return (stated ? { $schema, ...jsonSchema } : jsonSchema) as Tool['inputSchema'];
}

/**
 * The tools this server serves, in listing order, with their JSON Schemas
 * built once: `tools/list` then only filters this list per caller.
 */
export class ToolCatalog {
  readonly tools: readonly CatalogedTool[];
  readonly #byName: ReadonlyMap<string, CatalogedTool>;

  constructor(tools: McpTool[] | { entries: readonly CatalogedTool[] }) {
    const byName = new Map<string, CatalogedTool>();
    if (!Array.isArray(tools)) {
      tools.entries.forEach(entry => byName.set(entry.tool.name, entry));
      this.tools = [...byName.values()];
      this.#byName = byName;
      return;
    }
    for (const tool of tools) {
      if (!TOOL_NAME_PATTERN.test(tool.name)) {
        throw new Error(`Tool name "${tool.name}" must match ${TOOL_NAME_PATTERN}`);
      }
      if (byName.has(tool.name)) {
        throw new Error(`Tool "${tool.name}" is defined twice`);
      }
      byName.set(tool.name, {
        tool,
        resource: {
          name: tool.name,
          toolset: tool.toolset,
          readOnly: tool.annotations.readOnlyHint,
        },
        downstreamPermissionNames: tool.downstreamPermissions.map(p => p.name),
        listed: {
          name: tool.name,
          title: tool.title,
          description: tool.description,
          inputSchema: toJsonSchema(tool.inputSchema, 'input'),
          outputSchema: toJsonSchema(tool.outputSchema, 'output'),
          annotations: { title: tool.title, ...tool.annotations },
        },
      });
    }
    this.tools = [...byName.values()];
    this.#byName = byName;
  }

  /**
   * The tools that pass `keep`, sharing this catalog's prepared schemas:
   * named endpoints serve subsets without preparing them again.
   */
  subset(keep: (entry: CatalogedTool) => boolean): ToolCatalog {
    return new ToolCatalog({ entries: this.tools.filter(keep) });
  }

  /** Every downstream permission any tool exercises, once each. */
  downstreamPermissions() {
    const byName = new Map(
      this.tools.flatMap(t => t.tool.downstreamPermissions).map(p => [p.name, p]),
    );
    return [...byName.values()];
  }

  get(name: string): CatalogedTool | undefined {
    return this.#byName.get(name);
  }
}
