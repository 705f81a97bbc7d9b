import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import { principalKey } from './principals';

/**
 * Who is calling, as every governance decision and audit event names it.
 */
export interface CallerIdentity {
  /**
   * A user entity ref in the catalog's comparison form (lowercase), or the
   * exact subject of a service principal (a static token's `subject`).
   */
  principal: string;
  principalType: 'user' | 'service';
  /**
   * The OAuth client the token was issued to, where the token says so
   * (`client_id` or `azp` claim, e.g. tokens of an external identity
   * provider accepted through `backend.auth.externalAccess`).
   */
  oauthClientId?: string;
}

/**
 * The principal string of credentials: what block lists, budgets and task
 * ownership are keyed by (see {@link principalKey}).
 */
export function principalOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principalKey(principal.userEntityRef);
  }
  return principal.subject ?? 'unknown';
}

const MAX_CLIENT_ID_LENGTH = 200;

/**
 * Reads the OAuth client id claim of the bearer token. The token was
 * verified by the auth service before this runs; only its payload is read
 * here, and the token itself is never kept.
 */
function oauthClientIdOf(req: Request): string | undefined {
  const match = /^Bearer\s+([^.\s]+)\.([^.\s]+)\.[^.\s]*$/i.exec(
    req.headers.authorization ?? '',
  );
  if (!match) return undefined;
  try {
    const payload = JSON.parse(
      Buffer.from(match[2], 'base64url').toString('utf8'),
    );
    const clientId = payload?.client_id ?? payload?.azp;
    return typeof clientId === 'string' && clientId
      ? clientId.slice(0, MAX_CLIENT_ID_LENGTH)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The identity of an authenticated request. */
export function describeCaller(
  caller: BackstageCredentials,
  req: Request,
): CallerIdentity {
  const type =
    (caller.principal as { type?: string }).type === 'user'
      ? 'user'
      : 'service';
  const oauthClientId = oauthClientIdOf(req);
  return {
    principal: principalOf(caller),
    principalType: type,
    ...(oauthClientId ? { oauthClientId } : {}),
  };
}
