import { BackstageCredentials } from '@backstage/backend-plugin-api';

/**
 * Tells one sign-in of a user from another: the user's ref, their token's
 * expiry (a new sign-in, with possibly new ownership claims, expires at
 * another time) and the actor, if a client acts for them. Undefined for
 * other principals, and for user credentials without an expiry.
 */
export function userSignInKey(
  credentials: BackstageCredentials,
): string | undefined {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    actor?: { subject?: string };
  };
  const expiresAt = credentials.expiresAt?.getTime();
  if (principal.type !== 'user' || !principal.userEntityRef || !expiresAt) {
    return undefined;
  }
  return [
    principal.userEntityRef,
    expiresAt,
    principal.actor?.subject ?? '',
  ].join('\0');
}
