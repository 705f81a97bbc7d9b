import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { PolicyDecision } from '@backstage/plugin-permission-common';
import { mcpToolInvokePermission } from '@backstage-mcp/plugin-mcp-common';
import { userSignInKey } from '../downstream/signInKey';

/** Sign-ins remembered at once; the oldest is forgotten first. */
const MAX_ENTRIES = 2_000;

/** The policy's answer to mcp.tool.invoke for a caller. */
export type InvokeDecider = (
  credentials: BackstageCredentials,
) => Promise<PolicyDecision>;

/**
 * Asks the permission framework for `mcp.tool.invoke`, reusing a signed-in
 * user's decision for `ttlMs` (mcp.toolPermissionTtl).
 *
 * For a user every request otherwise pays a round trip to the permission
 * backend (a token signed for it, the user's identity resolved, the policy
 * run), which cost more than the tool itself for simple reads. The decision
 * only depends on who the user is, so the requests of one sign-in share it
 * for a few seconds; concurrent requests share one question. A failed
 * answer is never reused. Service principals are decided locally by the
 * permissions service, without a round trip, so they are always asked.
 */
export function createInvokeDecider(
  permissions: PermissionsService,
  options: { ttlMs: number; now?: () => number },
): InvokeDecider {
  const now = options.now ?? Date.now;
  const decisions = new Map<
    string,
    { decision: Promise<PolicyDecision>; until: number }
  >();
  const ask = async (credentials: BackstageCredentials) => {
    const [decision] = await permissions.authorizeConditional(
      [{ permission: mcpToolInvokePermission }],
      { credentials },
    );
    return decision;
  };

  return credentials => {
    const key = options.ttlMs > 0 ? userSignInKey(credentials) : undefined;
    if (!key) return ask(credentials);
    const at = now();
    const known = decisions.get(key);
    if (known && known.until > at) return known.decision;

    const decision = ask(credentials);
    decisions.delete(key);
    if (decisions.size >= MAX_ENTRIES) {
      const oldest = decisions.keys().next().value;
      if (oldest !== undefined) decisions.delete(oldest);
    }
    const until = Math.min(
      at + options.ttlMs,
      credentials.expiresAt?.getTime() ?? Infinity,
    );
    const entry = { decision, until };
    decisions.set(key, entry);
    decision.catch(() => {
      if (decisions.get(key) === entry) decisions.delete(key);
    });
    return decision;
  };
}
