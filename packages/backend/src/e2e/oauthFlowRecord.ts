/**
 * A record of what each step of an OAuth flow returned, printed by the
 * end-to-end test: the HTTP exchanges the MCP SDK makes (through `fetch`)
 * and the steps the browser takes. Tokens, secrets and codes appear as a
 * prefix at most.
 */
export interface FlowStep {
  step: string;
  status: number | string;
  fields: Record<string, string>;
}

const SECRET_FIELDS = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'code',
]);

/** The fields worth printing, by document; everything else is left out. */
const KEY_FIELDS = [
  'resource',
  'authorization_servers',
  'scopes_supported',
  'issuer',
  'authorization_endpoint',
  'registration_endpoint',
  'revocation_endpoint',
  'client_id_metadata_document_supported',
  'code_challenge_methods_supported',
  'grant_types_supported',
  'token_endpoint_auth_methods_supported',
  'client_id',
  'client_secret',
  'redirect_uris',
  'token_type',
  'expires_in',
  'scope',
  'access_token',
  'refresh_token',
  'error',
  'error_description',
];

/** A secret as a log may show it: its first characters and its length. */
export function secretPrefix(value: string): string {
  return `${value.slice(0, 6)}… (${value.length} chars)`;
}

function show(key: string, value: unknown): string {
  if (SECRET_FIELDS.has(key) && typeof value === 'string') {
    return secretPrefix(value);
  }
  let text = String(value);
  if (Array.isArray(value)) text = value.join(' ');
  else if (typeof value === 'object') text = JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

export function keyFields(body: unknown): Record<string, string> {
  if (!body || typeof body !== 'object') return {};
  const record = body as Record<string, unknown>;
  return Object.fromEntries(
    KEY_FIELDS.filter(key => record[key] !== undefined).map(key => [
      key,
      show(key, record[key]),
    ]),
  );
}

function stepName(url: URL, method: string, body: unknown): string {
  const path = url.pathname;
  if (path.startsWith('/.well-known/oauth-protected-resource')) {
    return 'protected-resource metadata';
  }
  if (
    path.includes('/.well-known/openid-configuration') ||
    path.includes('/.well-known/oauth-authorization-server')
  ) {
    return `authorization-server metadata (${path})`;
  }
  if (path.endsWith('/v1/register')) return 'dynamic client registration';
  if (path.endsWith('/v1/token')) {
    const grant = new URLSearchParams(String(body ?? '')).get('grant_type');
    return `token endpoint (${grant})`;
  }
  if (path.endsWith('/v1/revoke')) return 'revocation endpoint';
  return `${method} ${path}`;
}

/** Collects the steps; `fetch` is handed to the SDK's transport. */
export class FlowRecord {
  readonly steps: FlowStep[] = [];

  note(step: string, status: number | string, fields = {}) {
    this.steps.push({ step, status, fields });
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(
      typeof input === 'string' || input instanceof URL ? input : input.url,
    );
    const method = init?.method ?? 'GET';
    const fields: Record<string, string> = {};
    const challenge = response.headers.get('www-authenticate');
    if (challenge) fields['WWW-Authenticate'] = challenge;
    if (response.headers.get('content-type')?.includes('application/json')) {
      const body = await response
        .clone()
        .json()
        .catch(() => undefined);
      Object.assign(fields, keyFields(body));
    }
    this.note(stepName(url, method, init?.body), response.status, fields);
    return response;
  };

  /** The record as the test prints it. */
  format(title: string): string {
    const lines = this.steps.map((step, index) => {
      const fields = Object.entries(step.fields)
        .map(([key, value]) => `\n      ${key}: ${value}`)
        .join('');
      return `  ${index + 1}. ${step.step} -> ${step.status}${fields}`;
    });
    return `${title}\n${lines.join('\n')}`;
  }
}
