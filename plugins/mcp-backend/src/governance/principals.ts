import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';

/** The longest principal the block list stores (its column is 512 characters). */
export const MAX_PRINCIPAL_LENGTH = 512;

/**
 * Catalog kinds whose entities never call anything. A ref of one of them
 * names no principal: blocking it would answer 200 and block nobody.
 */
const KINDS_WITHOUT_PRINCIPALS = new Set([
  'group',
  'component',
  'api',
  'system',
  'domain',
  'resource',
  'location',
  'template',
]);

const USER_PREFIX = /^user:/i;
// Names are not held to the catalog's entity name rules: sign-in resolvers
// may issue refs of users that have no entity (user:default/jane@acme.com).
const USER_REF = /^user:(?:([^:/]+)\/)?([^:/]+)$/i;
const NAMESPACED_REF = /^([^:/]+):([^:/]+)\/([^:/]+)$/;
// Backstage's own token handlers refuse subjects with whitespace; control
// characters cannot come from a YAML subject an operator would write either.
// eslint-disable-next-line no-control-regex
const NOT_IN_A_PRINCIPAL = /[\s\u0000-\u001f\u007f]/;

/** A principal as block lists, budgets and ownership checks key it. */
export interface ParsedPrincipal {
  principal: string;
  principalType: 'user' | 'service';
}

function parseUserRef(value: string): string | undefined {
  const match = USER_REF.exec(value);
  if (!match) return undefined;
  const [, namespace = DEFAULT_NAMESPACE, name] = match;
  // The catalog compares refs case-insensitively: user:default/Jane is jane.
  return `user:${namespace}/${name}`.toLocaleLowerCase('en-US');
}

/**
 * The key of a principal: a user entity ref in the catalog's comparison form
 * (`user:<namespace>/<name>`, lowercase, default namespace filled in), or a
 * service principal's subject as it is.
 *
 * Subjects are compared exactly: Backstage treats them as opaque strings
 * (a static token's configured `subject`, `plugin:<id>`, `external:...`,
 * or whatever a custom token handler issues, where case may matter), and
 * `mcp.agents` matches them exactly too.
 *
 * Never fails, for values already stored or issued by Backstage: a value
 * that starts with `user:` but is not a valid ref is kept as it is.
 */
export function principalKey(value: string): string {
  return USER_PREFIX.test(value) ? parseUserRef(value) ?? value : value;
}

/**
 * Parses a principal named by an administrator, e.g. in
 * `PUT /admin/blocks/:principal`. Answers a problem, written for that
 * administrator, for what can never be a principal: an empty or overlong
 * value, whitespace or control characters, a malformed user ref, or the
 * ref of a catalog entity that never calls (`group:default/sre-team`).
 */
export function parsePrincipal(
  raw: string,
): ParsedPrincipal | { problem: string } {
  const value = raw.trim();
  const shown = JSON.stringify(value.slice(0, 100));
  if (!value) {
    return { problem: 'The principal is empty' };
  }
  if (value.length > MAX_PRINCIPAL_LENGTH) {
    return {
      problem: `The principal is longer than ${MAX_PRINCIPAL_LENGTH} characters`,
    };
  }
  if (NOT_IN_A_PRINCIPAL.test(value)) {
    return {
      problem: `${shown} cannot be a principal: user entity refs and token subjects contain no spaces or control characters`,
    };
  }
  if (USER_PREFIX.test(value)) {
    const principal = parseUserRef(value);
    if (!principal) {
      return {
        problem: `${shown} is not a user entity ref: expected user:<namespace>/<name> (or user:<name> in the default namespace), e.g. user:default/jane`,
      };
    }
    return { principal, principalType: 'user' };
  }
  const entityRef = NAMESPACED_REF.exec(value);
  if (
    entityRef &&
    KINDS_WITHOUT_PRINCIPALS.has(entityRef[1].toLocaleLowerCase('en-US'))
  ) {
    return {
      problem: `${shown} is the ref of a ${entityRef[1]}, which never calls MCP itself: name a user (user:<namespace>/<name>) or a service principal's subject (a static token's subject, plugin:<id>, external:...)`,
    };
  }
  return { principal: value, principalType: 'service' };
}
