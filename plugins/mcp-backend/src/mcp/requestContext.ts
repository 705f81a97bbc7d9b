import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import { ToolAccess } from '../permissions/toolAccess';

/**
 * What the HTTP boundary knows about one authenticated request, handed to
 * the per-request MCP server.
 */
export interface McpRequestContext {
  credentials: BackstageCredentials;
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
