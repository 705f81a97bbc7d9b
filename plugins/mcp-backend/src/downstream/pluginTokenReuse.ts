import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { decodeJwt } from 'jose';
import { userSignInKey } from './signInKey';

/** Reuse stops this long before a token expires, so none expires in flight. */
const EXPIRY_MARGIN_MS = 60_000;
/** Callers remembered at once; the oldest is forgotten first. */
const MAX_ENTRIES = 2_000;

interface Reusable {
  token: string;
  reuseUntil: number;
}

/**
 * The credentials this plugin sends to another plugin for a caller, issued
 * once and reused while they are valid instead of minted for every request.
 *
 * Backstage's auth service signs a new ES256 token for every downstream
 * request (importing the signing key each time); a tool call that reads the
 * catalog twice paid that twice. The token issued for a caller only depends
 * on who the caller is and which plugin it is for, so it is reused for the
 * same caller and target until shortly before it expires: an unrestricted
 * service caller's token names this plugin; a user's carries the user's own
 * limited token and never outlives it. A user is told apart by their token's expiry as well as
 * their ref, so a new sign-in (new ownership claims) gets a new token.
 * Failures (for example a restricted service token that may not reach the
 * target) are never remembered.
 */
export class PluginTokenReuse {
  readonly #auth: AuthService;
  readonly #entries = new Map<string, Reusable>();
  readonly #now: () => number;

  constructor(auth: AuthService, options: { now?: () => number } = {}) {
    this.#auth = auth;
    this.#now = options.now ?? Date.now;
  }

  async getPluginRequestToken(options: {
    onBehalfOf: BackstageCredentials;
    targetPluginId: string;
  }): Promise<{ token: string }> {
    const key = callerKey(options.onBehalfOf, options.targetPluginId);
    const now = this.#now();
    const known = key && this.#entries.get(key);
    if (known && known.reuseUntil > now) return { token: known.token };

    const issued = await this.#auth.getPluginRequestToken(options);
    if (key) this.#remember(key, issued.token, now);
    return issued;
  }

  #remember(key: string, token: string, now: number) {
    let expiresAt: number | undefined;
    try {
      const { exp } = decodeJwt(token);
      expiresAt = exp === undefined ? undefined : exp * 1000;
    } catch {
      // Not a JWT (an empty token when auth is disabled): nothing to reuse.
    }
    this.#entries.delete(key);
    if (!expiresAt || expiresAt - EXPIRY_MARGIN_MS <= now) return;
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { token, reuseUntil: expiresAt - EXPIRY_MARGIN_MS });
  }
}

/** Who the token is for, or undefined for callers whose tokens are not reused. */
function callerKey(
  credentials: BackstageCredentials,
  targetPluginId: string,
): string | undefined {
  const principal = credentials.principal as {
    type?: string;
    accessRestrictions?: unknown;
  };
  // A service caller's token names this plugin, whoever the caller is. A
  // restricted one is checked against its restrictions by the auth service
  // on every request, so it is never served a remembered token.
  if (principal.type === 'service' && !principal.accessRestrictions) {
    return ['service', targetPluginId].join('\0');
  }
  const signIn = userSignInKey(credentials);
  return signIn && ['user', signIn, targetPluginId].join('\0');
}
