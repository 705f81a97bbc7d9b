import { MCP_TOOLSETS } from '@backstage-mcp/plugin-mcp-common';
import {
  McpPrompt,
  McpResourceTemplate,
  McpTool,
  McpToolset,
  McpToolsetsExtensionPoint,
} from '@backstage-mcp/plugin-mcp-node';

const TOOLSET_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * The toolsets that modules add through the extension point, checked as
 * they are added so that a module with a mistake fails its own startup with
 * a message that names it. Tool names are checked with the plugin's own
 * when the tool list is built.
 */
export class ExtensionToolsets implements McpToolsetsExtensionPoint {
  readonly #toolsets: McpToolset[] = [];

  addToolset(toolset: McpToolset): void {
    const { name } = toolset;
    if (!TOOLSET_NAME.test(name)) {
      throw new Error(
        `MCP toolset name "${name}" must be lowercase letters, digits and dashes, starting with a letter (at most 32)`,
      );
    }
    if (
      (MCP_TOOLSETS as readonly string[]).includes(name) ||
      this.#toolsets.some(t => t.name === name)
    ) {
      throw new Error(
        `MCP toolset "${name}" is already defined; choose another name`,
      );
    }
    const strays = toolset.tools
      .filter(tool => tool.toolset !== name)
      .map(tool => tool.name);
    if (strays.length) {
      throw new Error(
        `MCP toolset "${name}" has tools of another toolset: ${strays.join(
          ', ',
        )}; set their toolset to "${name}"`,
      );
    }
    this.#toolsets.push({ ...toolset, tools: [...toolset.tools] });
  }

  /** The names of the added toolsets, in the order they were added. */
  names(): string[] {
    return this.#toolsets.map(t => t.name);
  }

  tools(): McpTool[] {
    return this.#toolsets.flatMap(t => t.tools);
  }

  resources(): McpResourceTemplate[] {
    return this.#toolsets.flatMap(t => t.resources ?? []);
  }

  prompts(): McpPrompt[] {
    return this.#toolsets.flatMap(t => t.prompts ?? []);
  }
}
