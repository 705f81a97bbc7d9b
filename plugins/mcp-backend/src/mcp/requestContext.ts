import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { CLIENT_INFO_META_KEY } from '@modelcontextprotocol/server';
import { Request } from 'express';
import { RequestGovernance } from '../governance/requestGovernance';
import { ToolAccess } from '../permissions/toolAccess';
import type { McpToolCallContext } from '../tools/types';

/**
 * What the HTTP boundary knows about one authenticated request, handed to
 * the per-request MCP server.
 */
export interface McpRequestContext {
  /** Who is calling: for identity, governance and audit, never for service calls. */
  caller: BackstageCredentials;
  /**
   * What every service call is made with: the caller's own credentials, or
   * the plugin's for a static token with accessRestrictions (see
   * {@link McpToolCallContext}).
   */
  credentials: BackstageCredentials;
  /** Decided at most once per request, and only when the answer needs it. */
  getToolAccess(): Promise<ToolAccess>;
  /** The HTTP request, for audit events. */
  httpRequest: Request;
  /** Identity, kill switch and rate limits of the caller. */
  governance: RequestGovernance;
  /** The MCP client's self-description, where the message carries it. */
  client?: McpClientInfo;
}

/** The MCP client's self-description, where the protocol era carries it. */
export interface McpClientInfo {
  name?: string;
  version?: string;
}

/**
 * The client's self-description in a message's envelope: the 2026-07-28 era
 * sends it with every request; in the 2025-11-25 era it comes only with
 * `initialize`, which a stateless server cannot link to later requests.
 */
export function readClientInfo(envelope: unknown): McpClientInfo | undefined {
  const info = (envelope as Record<string, unknown> | undefined)?.[
    CLIENT_INFO_META_KEY
  ] as McpClientInfo | undefined;
  return info && typeof info.name === 'string'
    ? {
        name: info.name.slice(0, 200),
        ...(typeof info.version === 'string'
          ? { version: info.version.slice(0, 100) }
          : {}),
      }
    : undefined;
}

/** The identity of a call for audit events: principal, OAuth client and MCP client. */
export function auditedCaller(context: McpRequestContext): JsonObject {
  const { identity } = context.governance;
  return {
    principal: identity.principal,
    principalType: identity.principalType,
    ...(identity.oauthClientId
      ? { oauthClientId: identity.oauthClientId }
      : {}),
    ...(context.client
      ? {
          client: {
            name: context.client.name ?? null,
            version: context.client.version ?? null,
          },
        }
      : {}),
  };
}
