import escapeHtml from 'escape-html';
import {
  SECRET_REQUEST_TTL_MS,
  SecretEntrant,
  SecretRequest,
} from '../tools/scaffolder/secretRequests';

/** The longest secret a field takes. */
export const MAX_SECRET_CHARS = 8192;

/** Form fields of secrets are namespaced, so that no template field can pose as the request id. */
export const SECRET_FIELD_PREFIX = 'secret.';
/** The form field that names the request a submission is for. */
export const REQUEST_FIELD = 'request';

/**
 * The pages run no script and load nothing; a form may only post to the
 * page itself. `same-origin` referrers (not `no-referrer`) so that the
 * browser sends the page's own Origin with a submission, which is what the
 * router checks against cross-site posts.
 */
export const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}section{border:1px solid #ccc;border-radius:6px;padding:0 1rem 1rem;margin-top:1.5rem}h2 small{font-weight:400;color:#555}dt{font-weight:600}dd{margin:0 0 .5rem}label{display:block;margin-top:1rem;font-weight:600}label small{display:block;color:#555;font-weight:400}input{width:100%;padding:.4rem;margin-top:.25rem;box-sizing:border-box}button{margin-top:1.5rem;padding:.5rem 1rem}.notice{background:#fff4e5;padding:.5rem 1rem}';

/** A complete page; `body` is HTML the caller built from escaped parts. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(
    title,
  )}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** A page that says why something was refused: a title and one plain sentence or two. */
export function messagePage(title: string, message: string): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`,
  );
}

const time = (ms: number) =>
  `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function askedBy(request: SecretRequest, entrant: SecretEntrant): string {
  if (request.principal.startsWith('service:')) {
    return `the agent "${request.principal.slice(
      'service:'.length,
    )}" (a static token, not a person)`;
  }
  return request.principal === entrant.userEntityRef
    ? `${request.principal} (you)`
    : request.principal;
}

function clientName(request: SecretRequest): string {
  if (!request.client) {
    return 'not named (clients of the 2025-11-25 protocol name themselves only when they connect)';
  }
  const { name, version } = request.client;
  return `${
    version ? `${name} ${version}` : name
  } (as the client names itself)`;
}

function fieldsHtml(request: SecretRequest): string {
  return request.fields
    .map(
      field => `<label>${escapeHtml(field.title ?? field.name)}${
        field.required ? ' *' : ''
      }
<small>${escapeHtml(field.description ?? '')}</small>
<input type="password" name="${escapeHtml(
        SECRET_FIELD_PREFIX + field.name,
      )}" autocomplete="off" maxlength="${MAX_SECRET_CHARS}"${
        field.required ? ' required' : ''
      }></label>`,
    )
    .join('\n');
}

/** One request: who asked, through which client, for which template; its form while pending. */
function requestSection(
  request: SecretRequest,
  entrant: SecretEntrant,
  notice?: string,
): string {
  const title = request.templateTitle ?? request.templateRef;
  const state = request.secrets
    ? `<p>Entered by ${escapeHtml(request.enteredBy ?? 'someone')} at ${time(
        request.enteredAt ?? request.createdAt,
      )}. A request takes one submission: the agent can run the template now. If you did not enter them, tell the portal's administrators.</p>`
    : `${
        notice ? `<p class="notice">${escapeHtml(notice)}</p>` : ''
      }<form method="post"><input type="hidden" name="${REQUEST_FIELD}" value="${escapeHtml(
        request.id,
      )}">${fieldsHtml(
        request,
      )}<button type="submit">Save for this run</button></form>`;
  return `<section><h2>${escapeHtml(title)} <small>${escapeHtml(
    request.templateRef,
  )}</small></h2>
<dl><dt>Asked by</dt><dd>${escapeHtml(askedBy(request, entrant))}</dd>
<dt>MCP client</dt><dd>${escapeHtml(clientName(request))}</dd>
<dt>Asked</dt><dd>${time(request.createdAt)}; expires ${time(
    request.createdAt + SECRET_REQUEST_TTL_MS,
  )} unless entered</dd></dl>
${state}</section>`;
}

const INTRO =
  '<p>What you enter here goes to the Backstage scaffolder only: the agent never sees it. Check that you expected this request (the template, the agent and the client) before you enter anything; each request takes one submission.</p>';

/** The requests waiting for the signed-in person. */
export function listPage(options: {
  entrant: SecretEntrant;
  requests: SecretRequest[];
  unreadable: boolean;
}): string {
  const { entrant, requests, unreadable } = options;
  const warning = unreadable
    ? '<p class="notice">A request for you cannot be read on this server (encrypted with another key, or damaged). If it is missing below, ask your agent to run the template again; if this keeps happening, tell the portal\'s administrators: every replica needs the same mcp.secretEntry.encryptionKey.</p>'
    : '';
  if (!requests.length) {
    return page(
      'No secrets to enter',
      `<h1>No secrets are waiting for you</h1>${warning}<p>Signed in as ${escapeHtml(
        entrant.userEntityRef,
      )}. A request expires ${
        SECRET_REQUEST_TTL_MS / 60_000
      } minutes after the agent asked and is gone once the template ran. If your agent acts for another user, sign in to the portal as that user. Otherwise ask the agent to run the template again: it will ask anew.</p>`,
    );
  }
  return page(
    'Enter secrets',
    `<h1>Secrets your agents asked for</h1><p>Signed in as ${escapeHtml(
      entrant.userEntityRef,
    )}.</p>${INTRO}${warning}${requests
      .map(request => requestSection(request, entrant))
      .join('\n')}`,
  );
}

/** One request's form again, with what was wrong. */
export function formPage(
  request: SecretRequest,
  entrant: SecretEntrant,
  notice: string,
): string {
  return page(
    'Enter secrets',
    `<h1>Secrets your agent asked for</h1>${INTRO}${requestSection(
      request,
      entrant,
      notice,
    )}`,
  );
}

export function savedPage(request: SecretRequest): string {
  return page(
    'Secrets saved',
    `<h1>Saved</h1><p>The secrets for ${escapeHtml(
      request.templateRef,
    )} are waiting for the run. Go back to your agent: it can run the template now. You can close this page.</p>`,
  );
}

export function alreadyEnteredPage(request: SecretRequest): string {
  return messagePage(
    'Already entered',
    `The secrets for this run of ${
      request.templateRef
    } were already entered at ${time(
      request.enteredAt ?? request.createdAt,
    )}, and a request takes one submission: nothing was changed. If they were wrong, let the run fail and ask your agent to run the template again. If you did not enter them, tell the portal's administrators.`,
  );
}

export function signInPage(signInUrl?: string): string {
  const where = signInUrl
    ? `<a href="${escapeHtml(signInUrl)}">${escapeHtml(signInUrl)}</a>`
    : 'the portal';
  return page(
    'Sign in first',
    `<h1>Sign in to the portal first</h1><p>Only the person an agent acts for can enter its secrets. Sign in to ${where} as the user your agent acts for, in this browser, then open this link again. Nothing is shown here without that sign-in.</p>`,
  );
}
