import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { randomUUID } from 'node:crypto';
import { UnreadableSecretError } from '../tools/scaffolder/secretCipher';
import {
  mayEnter,
  SecretEntrant,
  SecretRequest,
  SecretRequestStore,
} from '../tools/scaffolder/secretRequests';
import {
  alreadyEnteredPage,
  formPage,
  listPage,
  MAX_SECRET_CHARS,
  messagePage,
  PAGE_HEADERS,
  REQUEST_FIELD,
  savedPage,
  SECRET_FIELD_PREFIX,
  signInPage,
} from './secretEntryPages';

const MAX_FORM_BYTES = 64 * 1024;
const MAX_FORM_FIELDS = 50;
const parseForm = express.urlencoded({
  extended: false,
  limit: MAX_FORM_BYTES,
  parameterLimit: MAX_FORM_FIELDS,
});

const refused = (title: string, message: string) =>
  messagePage(title, `${message} Nothing was saved.`);

/**
 * Why a submission could not be read, in words that repeat nothing of it.
 * Body parser errors carry the raw body (the secrets) and Backstage's error
 * handler adds stack traces in development: neither may reach the page.
 */
function formRejection(error: unknown): { status: number; html: string } {
  const type = (error as { type?: unknown })?.type;
  if (type === 'entity.too.large') {
    return {
      status: 413,
      html: refused(
        'Too much was sent',
        `The form takes at most ${MAX_FORM_BYTES / 1024} kB.`,
      ),
    };
  }
  if (type === 'parameters.too.many') {
    return {
      status: 413,
      html: refused(
        'Too many fields were sent',
        `The form takes at most ${MAX_FORM_FIELDS} fields.`,
      ),
    };
  }
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return {
      status: 415,
      html: refused(
        'The form could not be read',
        'Send it as UTF-8 without a content encoding, as a browser does.',
      ),
    };
  }
  return {
    status: 400,
    html: refused(
      'The form could not be read',
      'Submit it again from the page.',
    ),
  };
}

/** Reads the form, answering anything unreadable with a plain page. */
const readForm: express.RequestHandler = (req, res, next) => {
  if (!req.is('application/x-www-form-urlencoded')) {
    res
      .status(415)
      .set(PAGE_HEADERS)
      .send(
        refused(
          'The form could not be read',
          'Submit it from the page, as a form.',
        ),
      );
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
 * Refuses submissions another site's page makes the browser send with the
 * user's cookie (CSRF), stricter than the MCP endpoint's Origin check, which
 * an administrator may open to `*`. A missing Origin means no browser, and
 * so no ambient cookie.
 */
function sameOriginOnly(ownOrigin: string): express.RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (
      (origin !== undefined && origin !== ownOrigin) ||
      (site !== undefined && site !== 'same-origin')
    ) {
      res
        .status(403)
        .set(PAGE_HEADERS)
        .send(
          refused(
            'Sent from another site',
            "Secrets can only be entered on the portal's own page.",
          ),
        );
      return;
    }
    next();
  };
}

type Visitor =
  | { kind: 'person'; entrant: SecretEntrant }
  | { kind: 'signed-out' }
  | { kind: 'not-a-person' };

/**
 * The page trusts nothing but Backstage's own sign-in: the user cookie the
 * portal's frontend gets from `/.backstage/auth/v1/cookie`, or a user token.
 */
export function createSecretEntryRouter(options: {
  secretRequests: SecretRequestStore;
  auditor: AuditorService;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  /** The portal's external origin: submissions from any other are refused. */
  ownOrigin: string;
  /** Where people sign in (the portal's `app.baseUrl`), named on the sign-in page. */
  signInUrl?: string;
}): express.Router {
  const { secretRequests, auditor, logger, httpAuth, userInfo } = options;
  const router = Router();

  async function identify(req: express.Request): Promise<Visitor> {
    let credentials;
    try {
      credentials = await httpAuth.credentials(req, {
        allow: ['user'],
        allowLimitedAccess: true,
      });
    } catch (error) {
      return isError(error) && error.name === 'NotAllowedError'
        ? { kind: 'not-a-person' }
        : { kind: 'signed-out' };
    }
    const info = await userInfo.getUserInfo(credentials);
    return {
      kind: 'person',
      entrant: {
        userEntityRef: info.userEntityRef,
        ownershipEntityRefs: info.ownershipEntityRefs,
      },
    };
  }

  function turnAway(
    res: express.Response,
    visitor: Exclude<Visitor, { kind: 'person' }>,
  ) {
    if (visitor.kind === 'signed-out') {
      res.status(401).set(PAGE_HEADERS).send(signInPage(options.signInUrl));
    } else {
      res
        .status(403)
        .set(PAGE_HEADERS)
        .send(
          messagePage(
            'People only',
            'Secrets are entered by a person signed in to the portal; agents and other services cannot open this page.',
          ),
        );
    }
  }

  // Field names and outcomes only: values and the request id never reach an
  // audit event (the id is not in the URL either, so the access log has none).
  async function auditSubmission(
    req: express.Request,
    entrant: SecretEntrant,
    request: SecretRequest | undefined,
  ) {
    return auditor.createEvent({
      eventId: 'secret-entry',
      severityLevel: 'medium',
      request: req,
      meta: {
        enteredBy: entrant.userEntityRef,
        ...(request
          ? {
              templateRef: request.templateRef,
              forPrincipal: request.principal,
              ...(request.client ? { client: request.client.name } : {}),
            }
          : {}),
      },
    });
  }

  router.get('/secrets', async (req, res) => {
    const visitor = await identify(req);
    if (visitor.kind !== 'person') {
      turnAway(res, visitor);
      return;
    }
    const { requests, unreadable } = await secretRequests.waitingFor(
      visitor.entrant,
    );
    let status = 200;
    if (!requests.length) status = unreadable ? 503 : 404;
    res
      .status(status)
      .set(PAGE_HEADERS)
      .send(listPage({ entrant: visitor.entrant, requests, unreadable }));
  });

  router.post(
    '/secrets',
    sameOriginOnly(options.ownOrigin),
    readForm,
    async (req, res) => {
      const visitor = await identify(req);
      if (visitor.kind !== 'person') {
        turnAway(res, visitor);
        return;
      }
      const { entrant } = visitor;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const id =
        typeof body[REQUEST_FIELD] === 'string'
          ? (body[REQUEST_FIELD] as string)
          : '';
      const request = await secretRequests.get(id);

      if (!request || !mayEnter(request, entrant)) {
        const event = await auditSubmission(req, entrant, request);
        await event.fail({
          error: new Error('No such request waits for this user'),
          meta: { outcome: 'not-waiting-for-you' },
        });
        res
          .status(404)
          .set(PAGE_HEADERS)
          .send(
            refused(
              'Nothing to enter here',
              `No such request is waiting for you (signed in as ${entrant.userEntityRef}): it expired, the template ran already, or it was made for someone else.`,
            ),
          );
        return;
      }

      const secrets: Record<string, string> = {};
      for (const field of request.fields) {
        const value = body[SECRET_FIELD_PREFIX + field.name];
        if (typeof value === 'string' && value.length > 0) {
          secrets[field.name] = value.slice(0, MAX_SECRET_CHARS);
        }
      }
      if (
        !request.secrets &&
        request.fields.some(f => f.required && !(f.name in secrets))
      ) {
        res
          .status(400)
          .set(PAGE_HEADERS)
          .send(
            formPage(
              request,
              entrant,
              'Fill in every field marked *. Nothing was saved.',
            ),
          );
        return;
      }

      const event = await auditSubmission(req, entrant, request);
      const result = await secretRequests.fulfil(id, secrets, entrant);
      if (result.outcome === 'saved') {
        await event.success({
          meta: { outcome: 'saved', fields: Object.keys(secrets) },
        });
        res.status(200).set(PAGE_HEADERS).send(savedPage(result.request));
      } else if (result.outcome === 'already-entered') {
        await event.fail({
          error: new Error('The secrets were entered already'),
          meta: { outcome: 'already-entered' },
        });
        res
          .status(409)
          .set(PAGE_HEADERS)
          .send(alreadyEnteredPage(result.request));
      } else {
        await event.fail({
          error: new Error('The request is gone'),
          meta: { outcome: 'gone' },
        });
        res
          .status(404)
          .set(PAGE_HEADERS)
          .send(
            refused(
              'Nothing to enter here',
              'This request expired or the template ran already.',
            ),
          );
      }
    },
  );

  // After the routes: whatever fails here is a plain page, never Backstage's
  // error body (stack traces in development, fields of the failed request).
  router.use(
    '/secrets',
    (
      error: unknown,
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (res.headersSent) return next(error);
      if (error instanceof UnreadableSecretError) {
        return res
          .status(503)
          .set(PAGE_HEADERS)
          .send(
            messagePage(
              'Cannot be read here',
              "This request cannot be read on this server: it was encrypted with another key, or damaged. Ask the agent to run the template again. If this keeps happening, tell the portal's administrators: every replica needs the same mcp.secretEntry.encryptionKey.",
            ),
          );
      }
      if (isError(error) && error.name === 'ServiceUnavailableError') {
        // A dependency (the cache, while Redis is down) is out: not this page's
        // failure, and retrying later is what helps.
        return res
          .status(503)
          .set({ ...PAGE_HEADERS, 'Retry-After': '60' })
          .send(
            messagePage(
              'Unavailable right now',
              "The portal cannot reach the store where pending requests are kept. Nothing was saved. Try again in a minute; if it keeps failing, tell the portal's administrators.",
            ),
          );
      }
      const reference = randomUUID();
      logger.error(
        `MCP secret entry page failed (reference ${reference})`,
        error as Error,
      );
      return res
        .status(500)
        .set(PAGE_HEADERS)
        .send(
          refused(
            'Something went wrong',
            `Try again in a moment; if it keeps failing, give the portal's administrators this reference: ${reference}.`,
          ),
        );
    },
  );

  return router;
}
