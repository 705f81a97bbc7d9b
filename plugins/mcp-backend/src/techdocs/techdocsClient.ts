import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import { readSyncOutcome, SyncOutcome } from './syncEvents';

/** What the TechDocs backend keeps about one built site (techdocs_metadata.json). */
export interface TechDocsMetadata {
  site_name?: string;
  site_description?: string;
  /** When the site was built, in milliseconds since the epoch. */
  build_timestamp?: number;
  /** Every file of the built site, relative to its root. */
  files?: string[];
}

/**
 * The TechDocs backend as the tools see it: every request carries a token
 * for the caller, so the TechDocs backend (and the catalog behind it) decide
 * what the caller may read.
 */
export interface TechDocsClient {
  /**
   * The site's metadata: NotFoundError when the docs are not built or the
   * entity is hidden from the caller, NotAllowedError when TechDocs refuses.
   */
  getMetadata(
    entity: CompoundEntityRef,
    options: { credentials: BackstageCredentials; signal?: AbortSignal },
  ): Promise<TechDocsMetadata>;
  /** One file of the built site as text; NotFoundError when it does not exist. */
  getFile(
    entity: CompoundEntityRef,
    filePath: string,
    options: { credentials: BackstageCredentials; signal?: AbortSignal },
  ): Promise<string>;
  /** Asks the TechDocs backend to build the docs, waiting at most `timeoutMs`. */
  sync(
    entity: CompoundEntityRef,
    options: {
      credentials: BackstageCredentials;
      timeoutMs: number;
      signal?: AbortSignal;
    },
  ): Promise<SyncOutcome>;
}

/** Largest site file the tools read; a page past it is not worth converting. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** The storage path of an entity's site, as the TechDocs backend lays it out. */
function sitePath(entity: CompoundEntityRef) {
  // TechDocs stores sites under the lowercased triplet by default; names keep
  // their case (the local publisher redirects other spellings).
  return [
    entity.namespace.toLocaleLowerCase('en-US'),
    entity.kind.toLocaleLowerCase('en-US'),
    entity.name,
  ]
    .map(encodeURIComponent)
    .join('/');
}

async function failure(response: Response, what: string): Promise<Error> {
  switch (response.status) {
    case 404:
      return new NotFoundError(what);
    // The tools answer a denied read as not found (see docsSite.ts); here it
    // stays a denial so that it is never mistaken for docs not built yet.
    case 403:
      return new NotAllowedError(what);
    case 401:
      return new AuthenticationError(
        'The TechDocs backend did not accept the credentials passed on for you; sign in again or use a valid token',
      );
    default:
      return ResponseError.fromResponse(response);
  }
}

/** Creates the client from the plugin's discovery and auth services. */
export function createTechDocsClient(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
}): TechDocsClient {
  const { discovery, auth } = deps;

  async function request(
    path: string,
    options: {
      credentials: BackstageCredentials;
      signal?: AbortSignal;
      accept?: string;
    },
  ) {
    // Never the plugin's own identity: the token is minted on behalf of the
    // caller, for the TechDocs plugin only.
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: options.credentials,
      targetPluginId: 'techdocs',
    });
    const baseUrl = await discovery.getBaseUrl('techdocs');
    return fetch(`${baseUrl}${path}`, {
      headers: {
        Authorization: `Bearer ${token}`,
        ...(options.accept ? { Accept: options.accept } : {}),
      },
      signal: options.signal,
    });
  }

  async function readText(response: Response, name: string) {
    const length = Number(response.headers.get('content-length') ?? 0);
    const text = length > MAX_FILE_BYTES ? undefined : await response.text();
    if (text === undefined || text.length > MAX_FILE_BYTES) {
      await response.body?.cancel();
      throw new InputError(
        `${name} is larger than ${MAX_FILE_BYTES} bytes, too large to read through MCP; open it in the portal instead`,
      );
    }
    return text;
  }

  return {
    async getMetadata(entity, options) {
      const what = `The docs of ${stringifyEntityRef(
        entity,
      )} are not built, or you may not read them`;
      const response = await request(
        `/metadata/techdocs/${sitePath(entity)}`,
        options,
      );
      if (!response.ok) throw await failure(response, what);
      return JSON.parse(
        await readText(response, 'techdocs_metadata.json'),
      ) as TechDocsMetadata;
    },

    async getFile(entity, filePath, options) {
      const encoded = filePath.split('/').map(encodeURIComponent).join('/');
      const what = `The docs of ${stringifyEntityRef(
        entity,
      )} have no file ${filePath}`;
      const response = await request(
        `/static/docs/${sitePath(entity)}/${encoded}`,
        options,
      );
      if (!response.ok) throw await failure(response, what);
      return readText(response, filePath);
    },

    async sync(entity, options) {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const signal = options.signal
        ? AbortSignal.any([options.signal, timeout])
        : timeout;
      try {
        const response = await request(`/sync/${sitePath(entity)}`, {
          credentials: options.credentials,
          signal,
          accept: 'text/event-stream',
        });
        if (!response.ok) {
          throw await failure(
            response,
            `No entity ${stringifyEntityRef(entity)} to build docs for`,
          );
        }
        return await readSyncOutcome(response);
      } catch (error) {
        // The build goes on in the TechDocs backend: only our wait ended.
        if (timeout.aborted && !options.signal?.aborted)
          return { status: 'timeout' };
        throw error;
      }
    },
  };
}
