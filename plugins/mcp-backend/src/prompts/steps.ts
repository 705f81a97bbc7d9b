import type { PromptMessage } from '@modelcontextprotocol/server';
import { ResourceBlob, ResourceText } from '../resources/types';

/** One step of a workflow, shown only when the caller may use its tool. */
export interface ToolStep {
  tool: string;
  /** How to use the tool in this workflow; the tool's name is prefixed. */
  text: string;
}

/**
 * The steps the caller may follow, numbered: a prompt never tells an agent
 * to call a tool the caller may not use.
 */
export function allowedSteps(
  steps: ToolStep[],
  mayUseTool: (name: string) => boolean,
): string {
  return steps
    .filter(step => mayUseTool(step.tool))
    .map((step, index) => `${index + 1}. ${step.tool}: ${step.text}`)
    .join('\n');
}

/** A user message with text. */
export function userText(text: string): PromptMessage {
  return { role: 'user', content: { type: 'text', text } };
}

/** A user message embedding a resource the server read for the caller. */
export function userResource(
  resource: ResourceText | ResourceBlob,
): PromptMessage {
  return { role: 'user', content: { type: 'resource', resource } };
}
