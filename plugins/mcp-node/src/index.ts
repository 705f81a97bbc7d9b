/**
 * The extension point of the Backstage MCP plugin, and what backend modules
 * need to define the tools, resources and prompts they add through it.
 *
 * @packageDocumentation
 */

export * from './extensionPoint';
export * from './tools';
export * from './resources';
export * from './prompts';
