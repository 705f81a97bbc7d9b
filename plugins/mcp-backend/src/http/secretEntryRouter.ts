import { AuditorService } from '@backstage/backend-plugin-api';
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

/**
 * The page where a user enters a template's secrets for a run an agent
 * prepared (URL-mode elicitation): the secrets go from the browser to the
 * portal, never through the model. The unguessable link is the capability;
 * the run that uses it must come from the principal that asked.
 */
export function createSecretEntryRouter(options: {
  secretRequests: SecretRequestStore;
  auditor: AuditorService;
}): express.Router {
  const { secretRequests, auditor } = options;
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
    express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 }),
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

  // After the routes: a request this replica cannot open is a page, not a crash.
  router.use('/secrets', (error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!(error instanceof UnreadableSecretError)) return next(error);
    return res.status(503).set(PAGE_HEADERS).send(unreadable());
  });

  return router;
}
