import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';

/** Files of a built site, by path within the site. */
export type SiteFiles = Record<string, string>;

/** How the fake answers a build request for an entity. */
export type SyncBehaviour =
  | { kind: 'build'; site: SiteFiles }
  | { kind: 'unchanged' }
  /** `log`: what the build printed before it failed, one log event each. */
  | { kind: 'fail'; message: string; log?: string[] }
  | { kind: 'hang' };

/** One request the fake received. */
export interface RecordedRequest {
  path: string;
  authorization?: string;
  accept?: string;
}

const FIXTURES = path.resolve(__dirname, '../__fixtures__');

/**
 * The payment-service site as the demo portal's TechDocs backend published it
 * (Debian's mkdocs 1.4.2, MkDocs theme; see __fixtures__/README.md).
 */
export function fixtureSite(): SiteFiles {
  const root = path.join(FIXTURES, 'payment-service');
  const files: SiteFiles = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else
        files[path.relative(root, full).split(path.sep).join('/')] =
          fs.readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return files;
}

/**
 * A stand-in TechDocs backend over real HTTP: serves sites by entity
 * ("default/component/payment-service"), answers 403, 401 or 500 for the entities
 * told to, builds on `/sync` as told, and records every request with its
 * Authorization header.
 */
export async function startFakeTechDocs(options: {
  sites?: Record<string, SiteFiles>;
  sync?: Record<string, SyncBehaviour>;
  forbidden?: string[];
  unauthorized?: string[];
  broken?: string[];
}) {
  const sites = new Map(Object.entries(options.sites ?? {}));
  const requests: RecordedRequest[] = [];
  const hanging = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url!, 'http://fake').pathname);
    requests.push({
      path: url,
      authorization: req.headers.authorization,
      accept: req.headers.accept,
    });
    const match =
      /^\/api\/techdocs\/(metadata\/techdocs|static\/docs|sync)\/([^/]+\/[^/]+\/[^/]+)\/?(.*)$/.exec(
        url,
      );
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const [, route, entity, file] = match;
    const json = (status: number, body: unknown) => {
      res
        .writeHead(status, { 'Content-Type': 'application/json' })
        .end(JSON.stringify(body));
    };
    if (options.unauthorized?.includes(entity)) {
      json(401, {
        error: { name: 'AuthenticationError', message: 'bad token' },
      });
      return;
    }
    if (options.broken?.includes(entity)) {
      json(500, {
        error: { name: 'Error', message: 'disk full' },
        response: { statusCode: 500 },
      });
      return;
    }
    if (options.forbidden?.includes(entity)) {
      json(403, { error: { name: 'NotAllowedError', message: 'denied' } });
      return;
    }
    const site = sites.get(entity);
    if (route === 'sync') {
      const behaviour = options.sync?.[entity] ?? { kind: 'unchanged' };
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(
        `event: log\ndata: ${JSON.stringify(
          'Step 1 of 3: Preparing docs',
        )}\n\n`,
      );
      if (behaviour.kind === 'hang') {
        hanging.add(res);
        return;
      }
      if (behaviour.kind === 'fail') {
        for (const line of behaviour.log ?? [])
          res.write(`event: log\ndata: ${JSON.stringify(line)}\n\n`);
        res.end(`event: error\ndata: ${JSON.stringify(behaviour.message)}\n\n`);
        return;
      }
      if (behaviour.kind === 'build') sites.set(entity, behaviour.site);
      res.end(
        `event: finish\ndata: ${JSON.stringify({
          updated: behaviour.kind === 'build',
        })}\n\n`,
      );
      return;
    }
    const wanted =
      route === 'metadata/techdocs' ? 'techdocs_metadata.json' : file;
    const content = site?.[wanted];
    if (content === undefined) {
      json(404, {
        error: {
          name: 'NotFoundError',
          message: `no ${wanted} at /srv/techdocs/${entity}`,
        },
      });
      return;
    }
    res
      .writeHead(200, {
        'Content-Type': wanted.endsWith('.json')
          ? 'application/json'
          : 'text/html',
      })
      .end(content);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/api/techdocs`;

  return {
    requests,
    discovery: mockServices.discovery.mock({ getBaseUrl: async () => baseUrl }),
    async stop() {
      for (const res of hanging) res.destroy();
      await new Promise(resolve => server.close(resolve));
    },
  };
}
