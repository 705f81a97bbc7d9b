import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import { ToolAccess } from '../permissions/toolAccess';
import type { McpToolCallContext } from '../tools/types';

/**
 * What the HTTP boundary knows about one authenticated request, handed to
 * the per-request MCP server.
 */
export interface McpRequestContext {
  /** Who is calling. */
  credentials: BackstageCredentials;
  /** What tools pass on to other plugins, see {@link McpToolCallContext}. */
  downstreamCredentials: BackstageCredentials;
  /** Decided at most once per request, and only when the answer needs it. */
  getToolAccess(): Promise<ToolAccess>;
  /** The HTTP request, for audit events. */
  httpRequest: Request;
}

/** The MCP client's self-description, where the protocol era carries it. */
export interface McpClientInfo {
  name?: string;
  version?: string;
}
