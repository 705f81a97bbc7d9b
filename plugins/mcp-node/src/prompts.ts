import { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { PromptMessage } from '@modelcontextprotocol/server';
import { CompletionValues, ResourceBlob, ResourceText } from './resources';

/**
 * What a prompt handler gets for one request.
 *
 * @public
 */
export interface PromptContext {
  /** The caller's credentials: pass them on to every service call. */
  credentials: BackstageCredentials;
  /** Whether the caller may use a tool: prompt texts only mention those. */
  mayUseTool(name: string): boolean;
  /** Reads a resource of this server as the caller, through its permission gate. */
  readResource(uri: string): Promise<ResourceText | ResourceBlob>;
}

/**
 * One argument of a prompt; values are strings, as MCP sends them.
 *
 * @public
 */
export interface McpPromptArgument {
  name: string;
  description: string;
  required: boolean;
  /** Suggests values, given the arguments already chosen. */
  complete?(
    request: { value: string; chosen: Record<string, string> },
    context: PromptContext,
  ): Promise<CompletionValues>;
}

/**
 * A prompt: its public definition as data, plus a handler that receives its
 * services when the prompt is created and the caller's context per request.
 *
 * @public
 */
export interface McpPrompt {
  /** snake_case; public API. */
  name: string;
  title: string;
  description: string;
  arguments: McpPromptArgument[];
  /**
   * The tools the prompt's workflow is built on: a caller who may use none
   * of them does not see the prompt and may not get it.
   */
  essentialTools: string[];
  /** Builds the messages; arguments are present when required, validated by the caller. */
  get(
    args: Record<string, string | undefined>,
    context: PromptContext,
  ): Promise<{ description?: string; messages: PromptMessage[] }>;
}
