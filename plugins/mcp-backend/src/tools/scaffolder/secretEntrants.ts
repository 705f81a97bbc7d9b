import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AgentScopes } from '../../config/agentConfig';
import { agentScopeFor } from '../../governance/agentScope';

/**
 * Who may enter the secrets of a caller's template run (user and group
 * refs); throws when nobody may.
 */
export type SecretEntrantsOf = (
  caller: BackstageCredentials,
  templateRef: string,
) => string[];

/**
 * A user's secrets are entered by that user, signed in to the portal. A
 * service principal (a static token) acts for nobody the portal can name,
 * so it may ask for secrets only where an administrator named who enters
 * them (`mcp.agents[].secretEntry.enteredBy`, or `mcp.defaultAgent`):
 * otherwise anyone who saw the link could be talked into typing a secret for
 * an agent they never chose.
 */
export function createSecretEntrants(scopes: AgentScopes): SecretEntrantsOf {
  return (caller, templateRef) => {
    const principal = caller.principal as {
      type?: string;
      userEntityRef?: string;
      subject?: string;
    };
    if (principal.type === 'user' && principal.userEntityRef)
      return [principal.userEntityRef];
    const enteredBy =
      agentScopeFor(caller, scopes)?.secretEntry?.enteredBy ?? [];
    if (enteredBy.length) return [...enteredBy];
    throw new NotAllowedError(
      `${templateRef} needs secrets that a person enters on the portal, and agent "${
        principal.subject ?? 'unknown'
      }" (a static token) may not ask anyone for them; nothing was run. Run the template with a user's token (sign in with OAuth) so that the user enters them, or ask a portal administrator to name who enters this agent's secrets in mcp.agents[].secretEntry.enteredBy`,
    );
  };
}

/** How the agent names the people who may enter, e.g. "user:default/jane or a member of group:default/sre". */
export function describeEntrants(entrants: readonly string[]): string {
  return entrants
    .map(ref => (ref.startsWith('group:') ? `a member of ${ref}` : ref))
    .join(' or ');
}
