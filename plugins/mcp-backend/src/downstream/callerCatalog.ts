import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AddLocationRequest,
  CatalogClient,
  GetEntitiesByRefsRequest,
  GetEntitiesRequest,
  GetEntityAncestorsRequest,
  GetEntityFacetsRequest,
  QueryEntitiesRequest,
  QueryLocationsInitialRequest,
  QueryLocationsRequest,
  StreamEntitiesRequest,
} from '@backstage/catalog-client';
import { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import { AnalyzeLocationRequest } from '@backstage/plugin-catalog-common';
import {
  CatalogService,
  CatalogServiceRequestOptions,
} from '@backstage/plugin-catalog-node';
import crossFetch, { Headers } from 'cross-fetch';
import { PluginTokenReuse } from './pluginTokenReuse';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Fetch for requests to other plugins. Answers from a plugin in the same
 * process travel over loopback, where compressing them only costs CPU twice
 * (the root router gzips, the client inflates): they are asked for
 * uncompressed. Requests to other hosts keep the client's default.
 */
export const downstreamFetch = ((input: any, init?: any) => {
  const url = new URL(typeof input === 'string' ? input : input.url);
  if (!LOOPBACK_HOSTS.has(url.hostname)) return crossFetch(input, init);
  const headers = new Headers(init?.headers);
  headers.set('accept-encoding', 'identity');
  return crossFetch(input, { ...init, headers });
}) as typeof fetch;

/**
 * The catalog, called with each caller's own credentials.
 *
 * What catalogServiceRef's default does, with two differences that matter
 * on every tool call: the token sent for a caller is reused while valid
 * instead of signed per request ({@link PluginTokenReuse}), and answers
 * over loopback are not compressed ({@link downstreamFetch}).
 */
export class CallerCatalog implements CatalogService {
  readonly #client: CatalogClient;
  readonly #tokens: PluginTokenReuse;

  constructor(options: {
    discovery: DiscoveryService;
    tokens: PluginTokenReuse;
  }) {
    this.#client = new CatalogClient({
      discoveryApi: options.discovery,
      fetchApi: { fetch: downstreamFetch },
    });
    this.#tokens = options.tokens;
  }

  static create(options: { auth: AuthService; discovery: DiscoveryService }) {
    return new CallerCatalog({
      discovery: options.discovery,
      tokens: new PluginTokenReuse(options.auth),
    });
  }

  #token(options: CatalogServiceRequestOptions) {
    return this.#tokens.getPluginRequestToken({
      onBehalfOf: options.credentials as BackstageCredentials,
      targetPluginId: 'catalog',
    });
  }

  async getEntities(
    request: GetEntitiesRequest | undefined,
    options: CatalogServiceRequestOptions,
  ) {
    return this.#client.getEntities(request, await this.#token(options));
  }

  async getEntitiesByRefs(
    request: GetEntitiesByRefsRequest,
    options: CatalogServiceRequestOptions,
  ) {
    return this.#client.getEntitiesByRefs(request, await this.#token(options));
  }

  async queryEntities(
    request: QueryEntitiesRequest | undefined,
    options: CatalogServiceRequestOptions,
  ) {
    return this.#client.queryEntities(request, await this.#token(options));
  }

  async getEntityAncestors(
    request: GetEntityAncestorsRequest,
    options: CatalogServiceRequestOptions,
  ) {
    return this.#client.getEntityAncestors(request, await this.#token(options));
  }

  async getEntityByRef(
    entityRef: string | CompoundEntityRef,
    options: CatalogServiceRequestOptions,
  ) {
    return this.#client.getEntityByRef(entityRef, await this.#token(options));
  }

  async removeEntityByUid(uid: string, options: CatalogServiceRequestOptions) {
    return this.#client.removeEntityByUid(uid, await this.#token(options));
  }

  async refreshEntity(
    entityRef: string,
    options: CatalogServiceRequestOptions,
  ) {
    return this.#client.refreshEntity(entityRef, await this.#token(options));
  }

  async getEntityFacets(
    request: GetEntityFacetsRequest,
    options: CatalogServiceRequestOptions,
  ) {
    return this.#client.getEntityFacets(request, await this.#token(options));
  }

  async getLocations(
    request: {} | undefined,
    options: CatalogServiceRequestOptions,
  ) {
    return this.#client.getLocations(request, await this.#token(options));
  }

  async queryLocations(
    request: QueryLocationsRequest | undefined,
    options: CatalogServiceRequestOptions,
  ) {
    return this.#client.queryLocations(request, await this.#token(options));
  }

  async *streamLocations(
    request: QueryLocationsInitialRequest | undefined,
    options: CatalogServiceRequestOptions,
  ) {
    yield* this.#client.streamLocations(request, await this.#token(options));
  }

  async getLocationById(id: string, options: CatalogServiceRequestOptions) {
    return this.#client.getLocationById(id, await this.#token(options));
  }

  async getLocationByRef(
    locationRef: string,
    options: CatalogServiceRequestOptions,
  ) {
    return this.#client.getLocationByRef(
      locationRef,
      await this.#token(options),
    );
  }

  async addLocation(
    location: AddLocationRequest,
    options: CatalogServiceRequestOptions,
  ) {
    return this.#client.addLocation(location, await this.#token(options));
  }

  async removeLocationById(id: string, options: CatalogServiceRequestOptions) {
    return this.#client.removeLocationById(id, await this.#token(options));
  }

  async updateLocation(
    id: string,
    location: { type?: string; target: string },
    options: CatalogServiceRequestOptions,
  ) {
    return this.#client.updateLocation(
      id,
      location,
      await this.#token(options),
    );
  }

  async getLocationByEntity(
    entityRef: string | CompoundEntityRef,
    options: CatalogServiceRequestOptions,
  ) {
    return this.#client.getLocationByEntity(
      entityRef,
      await this.#token(options),
    );
  }

  async validateEntity(
    entity: Entity,
    locationRef: string,
    options: CatalogServiceRequestOptions,
  ) {
    return this.#client.validateEntity(
      entity,
      locationRef,
      await this.#token(options),
    );
  }

  async analyzeLocation(
    location: AnalyzeLocationRequest,
    options: CatalogServiceRequestOptions,
  ) {
    return this.#client.analyzeLocation(location, await this.#token(options));
  }

  async *streamEntities(
    request: StreamEntitiesRequest | undefined,
    options: CatalogServiceRequestOptions,
  ) {
    yield* this.#client.streamEntities(request, await this.#token(options));
  }
}
