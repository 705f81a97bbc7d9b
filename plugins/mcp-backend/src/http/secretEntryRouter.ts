import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { randomUUID } from 'node:crypto';
import escapeHtml from 'escape-html';
import express from 'express';
import Router from 'express-promise-router';
import { UnreadableSecretError } from '../tools/scaffolder/secretCipher';
import { SecretRequest, SecretRequestStore } from '../tools/scaffolder/secretRequests';

const MAX_SECRET_CHARS = 8192;

// The page runs no script and loads nothing; it may only post to itself.
const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

function page(title: string, body: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}label{display:block;margin-top:1rem;font-weight:600}small{display:block;color:#555;font-weight:400}input{width:100%;padding:.4rem;margin-top:.25rem;box-sizing:border-box}button{margin-top:1.5rem;padding:.5rem 1rem}</style></head><body>${body}</body></html>`;
}

function form(request: SecretRequest) {
  const fields = request.fields
    .map(
      field => `<label>${escapeHtml(field.title ?? field.name)}${field.required ? ' *' : ''}
<small>${escapeHtml(field.description ?? '')}</small>
<input type="password" name="${escapeHtml(field.name)}" autocomplete="off" maxlength="${MAX_SECRET_CHARS}"${field.required ? ' required' : ''}></label>`,
    )
    .join('\n');
  return page(
    'Enter secrets',
    `<h1>Secrets for ${escapeHtml(request.templateRef)}</h1>
<p>An agent acting for you wants to run this template. What you enter here goes to the Backstage scaffolder only: the agent never sees it. The link expires 10 minutes after the agent asked.</p>
<form method="post">${fields}<button type="submit">Save for this run</button></form>`,
  );
}

const gone = () =>
  page(
    'Link expired',
    '<h1>This link has expired or was already used</h1><p>Ask the agent to run the template again: it will give you a new link.</p>',
  );

const unreadable = () =>
  page(
    'Cannot be read here',
    "<h1>This request cannot be read on this server</h1><p>It was encrypted with another key, or damaged. Ask the agent to run the template again: it will give you a new link. If this keeps happening, tell the portal's administrators: every replica needs the same mcp.secretEntry.encryptionKey.</p>",
  );

const MAX_FORM_BYTES = 64 * 1024;
const MAX_FORM_FIELDS = 50;
const parseForm = express.urlencoded({
  extended: false,
  limit: MAX_FORM_BYTES,
  parameterLimit: MAX_FORM_FIELDS,
});

const refused = (title: string, message: string) =>
  page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)} Nothing was saved.</p>`);

/**
 * Why a submission could not be read, in words that repeat nothing of it.
 * Body parser errors carry the raw body (the secrets) and Backstage's error
 * handler adds stack traces in development: neither may reach the page.
 */
function formRejection(error: unknown): { status: number; html: string } {
  const type = (error as { type?: unknown })?.type;
  if (type === 'entity.too.large') {
    return { status: 413, html: refused('Too much was sent', `The form takes at most ${MAX_FORM_BYTES / 1024} kB.`) };
  }
  if (type === 'parameters.too.many') {
    return { status: 413, html: refused('Too many fields were sent', `The form takes at most ${MAX_FORM_FIELDS} fields.`) };
  }
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return { status: 415, html: refused('The form could not be read', 'Send it as UTF-8 without a content encoding, as a browser does.') };
  }
  return { status: 400, html: refused('The form could not be read', 'Submit it again from the page.') };
}

/** Reads the form, answering anything unreadable with a plain page. */
const readForm: express.RequestHandler = (req, res, next) => {
  if (!req.is('application/x-www-form-urlencoded')) {
    res
      .status(415)
      .set(PAGE_HEADERS)
      .send(refused('The form could not be read', 'Submit it from the page, as a form.'));
    return;
  }
  parseForm(req, res, error => {
    if (!error) {
      next();
      return;
    }
    const { status, html } = formRejection(error);
    res.status(status).set(PAGE_HEADERS).send(html);
  });
};

/**
 * The page where a user enters a template's secrets for a run an agent
 * prepared (URL-mode elicitation): the secrets go from the browser to the
 * portal, never through the model. The unguessable link is the capability;
 * the run that uses it must come from the principal that asked.
 */
export function createSecretEntryRouter(options: {
  secretRequests: SecretRequestStore;
  auditor: AuditorService;
  logger: LoggerService;
}): express.Router {
  const { secretRequests, auditor, logger } = options;
  const router = Router();

  router.get('/secrets/:id', async (req, res) => {
    const request = await secretRequests.get(req.params.id);
    if (!request) {
      res.status(404).set(PAGE_HEADERS).send(gone());
      return;
    }
    res.status(200).set(PAGE_HEADERS).send(form(request));
  });

  router.post(
    '/secrets/:id',
    readForm,
    async (req, res) => {
      const request = await secretRequests.get(req.params.id);
      if (!request) {
        res.status(404).set(PAGE_HEADERS).send(gone());
        return;
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const secrets: Record<string, string> = {};
      for (const field of request.fields) {
        const value = body[field.name];
        if (typeof value === 'string' && value.length > 0) {
          secrets[field.name] = value.slice(0, MAX_SECRET_CHARS);
        }
      }
      const missing = request.fields.filter(f => f.required && !(f.name in secrets));
      if (missing.length) {
        res.status(400).set(PAGE_HEADERS).send(form(request));
        return;
      }
      if (!(await secretRequests.fulfil(request.id, secrets))) {
        res.status(404).set(PAGE_HEADERS).send(gone());
        return;
      }
      // Field names only: the values never reach an audit event or a log.
      const event = await auditor.createEvent({
        eventId: 'secret-entry',
        severityLevel: 'medium',
        request: req,
        meta: {
          templateRef: request.templateRef,
          forPrincipal: request.principal,
          fields: Object.keys(secrets),
        },
      });
      await event.success();
      res
        .status(200)
        .set(PAGE_HEADERS)
        .send(
          page(
            'Secrets saved',
            '<h1>Saved</h1><p>Go back to your agent: it can run the template now. You can close this page.</p>',
          ),
        );
    },
  );

  // After the routes: whatever fails here is a plain page, never Backstage's
  // error body (stack traces in development, fields of the failed request).
  router.use('/secrets', (error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof UnreadableSecretError) return res.status(503).set(PAGE_HEADERS).send(unreadable());
    const reference = randomUUID();
    logger.error(`MCP secret entry page failed (reference ${reference})`, error as Error);
    return res
      .status(500)
      .set(PAGE_HEADERS)
      .send(refused('Something went wrong', `Try again in a moment; if it keeps failing, give the portal's administrators this reference: ${reference}.`));
  });

  return router;
}
