import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The developer's machine in an OAuth flow, for end-to-end tests: the
 * loopback callback a CLI agent listens on, and the https host where a
 * Client ID Metadata Documents client publishes its metadata.
 */
export interface LoopbackCallback {
  /** http://127.0.0.1:<port>/callback */
  redirectUrl: string;
  /** The next URL the browser is sent back to (code and state, or error). */
  next(timeoutMs?: number): Promise<URL>;
  close(): Promise<void>;
}

/** Listens on `host`, or on every address (localhost may resolve to ::1). */
function listen(server: net.Server, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host }, () =>
      resolve((server.address() as net.AddressInfo).port),
    );
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise(resolve => {
    server.close(() => resolve());
    // The browser and the auth backend keep connections alive.
    server.closeAllConnections();
  });
}

export async function startLoopbackCallback(): Promise<LoopbackCallback> {
  const waiting: Array<(url: URL) => void> = [];
  const arrived: URL[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'Content-Type': 'text/html' })
      .end('<p>Signed in. You can close this window.</p>');
    const next = waiting.shift();
    if (next) next(url);
    else arrived.push(url);
  });
  const port = await listen(server, '127.0.0.1');
  return {
    redirectUrl: `http://127.0.0.1:${port}/callback`,
    next: (timeoutMs = 60_000) => {
      const ready = arrived.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('The browser never came back')),
          timeoutMs,
        );
        waiting.push(url => {
          clearTimeout(timer);
          resolve(url);
        });
      });
    },
    close: () => close(server),
  };
}

export interface MetadataHost {
  /** https://localhost:<port>/oauth/client-metadata.json */
  clientId: string;
  /** The host's self-signed certificate, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** How often the authorization server fetched the document. */
  fetches(): number;
  close(): Promise<void>;
}

/**
 * Serves a client metadata document over https with a certificate made for
 * the test, which the backend trusts through NODE_EXTRA_CA_CERTS: the MCP
 * SDK accepts only https client ids, as the spec requires.
 */
export async function startMetadataHost(
  document: (clientId: string) => Record<string, unknown>,
): Promise<MetadataHost> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth-cimd-'));
  const keyFile = path.join(dir, 'key.pem');
  const caFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      caFile,
    ],
    { stdio: 'ignore' },
  );
  let fetches = 0;
  let clientId = '';
  const server = https.createServer(
    { key: fs.readFileSync(keyFile), cert: fs.readFileSync(caFile) },
    (req, res) => {
      if (req.url !== '/oauth/client-metadata.json') {
        res.writeHead(404).end();
        return;
      }
      fetches += 1;
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify(document(clientId)));
    },
  );
  const port = await listen(server);
  clientId = `https://localhost:${port}/oauth/client-metadata.json`;
  return {
    clientId,
    caFile,
    fetches: () => fetches,
    close: async () => {
      await close(server);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
