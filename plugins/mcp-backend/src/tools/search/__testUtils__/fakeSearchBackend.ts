import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import { AddressInfo } from 'node:net';

/** A request the fake search backend received, as its Express router parsed it. */
export interface ReceivedSearchRequest {
  query: Record<string, unknown>;
  authorization?: string;
}

/** What the fake answers: a status and a JSON body. */
export interface FakeAnswer {
  status: number;
  body: unknown;
}

/**
 * A real HTTP server at `/api/search/query`, parsing query strings with
 * Express's default parser (qs), as the search backend does, so that tests
 * see what the search backend would see.
 */
export async function startFakeSearchBackend() {
  const received: ReceivedSearchRequest[] = [];
  let answer: (request: ReceivedSearchRequest) => FakeAnswer = () => ({
    status: 200,
    body: { results: [] },
  });

  const app = express();
  app.get('/api/search/query', (req, res) => {
    const request = {
      query: req.query as Record<string, unknown>,
      authorization: req.headers.authorization,
    };
    received.push(request);
    const { status, body } = answer(request);
    res.status(status).json(body);
  });
  const server = await new Promise<ReturnType<typeof app.listen>>(resolve => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    received,
    /** Sets how the fake answers the following requests. */
    answerWith(next: (request: ReceivedSearchRequest) => FakeAnswer) {
      answer = next;
    },
    discovery: mockServices.discovery.mock({
      getBaseUrl: async (pluginId: string) => `${baseUrl}/api/${pluginId}`,
    }),
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

/** The fake server's type, for test files that start it in beforeAll. */
export type FakeSearchBackend = Awaited<
  ReturnType<typeof startFakeSearchBackend>
>;
