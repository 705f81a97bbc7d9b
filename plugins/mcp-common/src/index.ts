/**
 * Permissions, resource types and shared types of the Backstage MCP plugin.
 *
 * @packageDocumentation
 */

export * from './permissions';
export * from './types';
