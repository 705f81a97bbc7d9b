import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { z } from 'zod';
import { cutText } from '../../mcp/textHygiene';

/** One query to the search backend, in the terms of its `/query` route. */
export interface SearchRequest {
  term: string;
  types?: string[];
  /** Field to value; only scalar values, since Lunr ignores list filters. */
  filters?: Record<string, string>;
  /** The search backend's own cursor (a page number, for its engines). */
  pageCursor?: string;
  pageLimit?: number;
}

/**
 * The parts of the search backend's answer the tool reads. Documents stay
 * loose: every collator indexes its own fields.
 */
const searchResultSetSchema = z.object({
  results: z.array(
    z.object({
      type: z.string(),
      document: z.looseObject({
        title: z.string().optional(),
        text: z.string().optional(),
        location: z.string().optional(),
      }),
      highlight: z
        .object({
          preTag: z.string(),
          postTag: z.string(),
          fields: z.record(z.string(), z.string()),
        })
        .optional(),
      rank: z.number().optional(),
    }),
  ),
  nextPageCursor: z.string().optional(),
  numberOfResults: z.number().optional(),
});

/** One page of search results as the search backend returns it. */
export type SearchResultSet = z.infer<typeof searchResultSetSchema>;

/** One search hit as the search backend returns it. */
export type SearchResultItem = SearchResultSet['results'][number];

/** Queries the search backend on behalf of a caller. */
export interface SearchClient {
  query(
    request: SearchRequest,
    options: { credentials: BackstageCredentials; signal?: AbortSignal },
  ): Promise<SearchResultSet>;
}

/**
 * The query string as the search backend's Express router parses it (qs):
 * `types[0]=...` becomes a list and `filters[kind]=...` an object.
 */
function searchQueryString(request: SearchRequest): string {
  const params = new URLSearchParams({ term: request.term });
  request.types?.forEach((type, index) =>
    params.append(`types[${index}]`, type),
  );
  for (const [field, value] of Object.entries(request.filters ?? {})) {
    params.append(`filters[${field}]`, value);
  }
  if (request.pageCursor) params.append('pageCursor', request.pageCursor);
  if (request.pageLimit) params.append('pageLimit', String(request.pageLimit));
  return params.toString();
}

/** Upstream messages can carry a multi-line validation report: keep it short. */
function compact(message: string) {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > 500 ? `${cutText(oneLine, 500)}...` : oneLine;
}

/**
 * The error a Backstage backend describes in its body
 * (`{"error": {"name", "message"}}`), or the body's text when it is not one.
 */
async function readError(
  response: Response,
): Promise<{ name?: string; message: string }> {
  const text = await response.text();
  try {
    const { error } = JSON.parse(text);
    if (typeof error?.message === 'string') {
      return {
        name: typeof error.name === 'string' ? error.name : undefined,
        message: error.message,
      };
    }
  } catch {
    // not JSON: a proxy or a missing route
  }
  return { message: text || response.statusText };
}

async function toError(response: Response): Promise<Error> {
  const error = await readError(response);
  const message = compact(error.message);
  if (response.status === 400) {
    return new InputError(`The search backend refused the query: ${message}`);
  }
  if (response.status === 401 || response.status === 403) {
    return new NotAllowedError(
      `The search backend did not let you search: ${message}`,
    );
  }
  // Lunr answers 500 for types whose index does not exist yet (nothing
  // indexed, or the first collation still running): the agent can retry.
  if (error.name === 'MissingIndexError') {
    return new ServiceUnavailableError(
      `${message} Retry later, or search without types`,
    );
  }
  return new Error(
    `The search backend answered ${response.status}: ${message}`,
  );
}

/**
 * A client of the search backend's `GET /query`. It calls with a token made
 * for the caller, so that the search backend filters results by what the
 * caller may read, never by what this plugin may read.
 */
export function createSearchClient(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
}): SearchClient {
  const { discovery, auth } = deps;
  return {
    async query(request, { credentials, signal }) {
      const [baseUrl, { token }] = await Promise.all([
        discovery.getBaseUrl('search'),
        auth.getPluginRequestToken({
          onBehalfOf: credentials,
          targetPluginId: 'search',
        }),
      ]);
      const response = await fetch(
        `${baseUrl}/query?${searchQueryString(request)}`,
        {
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
          },
          signal,
        },
      );
      if (!response.ok) throw await toError(response);
      const parsed = searchResultSetSchema.safeParse(await response.json());
      if (!parsed.success) {
        throw new Error(
          `The search backend answered in an unexpected shape: ${parsed.error.message}`,
        );
      }
      return parsed.data;
    },
  };
}
