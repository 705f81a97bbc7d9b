import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  isError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { McpConfig } from '../config';
import { loadEntity } from '../tools/shared/entityRefs';
import { TechDocsClient, TechDocsMetadata } from './techdocsClient';

/** Where an entity's docs come from (TechDocs' own annotations). */
const TECHDOCS_REF_ANNOTATION = 'backstage.io/techdocs-ref';
const TECHDOCS_ENTITY_ANNOTATION = 'backstage.io/techdocs-entity';

/** The built docs site of an entity, ready to be read. */
export interface DocsSite {
  /** The entity the agent asked about. */
  ref: string;
  /** The entity whose docs these are, when another one holds them. */
  docsRef?: string;
  /** The entity whose site to read files from. */
  siteEntity: CompoundEntityRef;
  metadata: TechDocsMetadata;
  /** True when this call had the docs built first. */
  buildTriggered: boolean;
  /** Reads one file of the site as the caller; NotFoundError when missing or refused. */
  readFile(file: string): Promise<string>;
}

/** What the site needs to be found and, if need be, built. */
export interface DocsSiteDeps {
  catalog: CatalogService;
  techdocs: TechDocsClient;
  config: McpConfig;
}

function isNamed(error: unknown, name: string) {
  return isError(error) && error.name === name;
}

/**
 * Reads from TechDocs; a read TechDocs refuses answers not found (it must not
 * tell what exists), and one that finds nothing answers `undefined`.
 */
async function readOrUndefined<T>(
  read: () => Promise<T>,
  denied: string,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isNamed(error, 'NotAllowedError')) throw new NotFoundError(denied);
    if (isNamed(error, 'NotFoundError')) return undefined;
    throw error;
  }
}

/**
 * The entity that holds the docs: the one named by its techdocs-entity
 * annotation (docs shared by a system and its components, say), else itself.
 * Each is read from the catalog as the caller, so an entity the caller may
 * not read is "not found" before TechDocs is asked anything.
 */
async function docsHolder(
  deps: DocsSiteDeps,
  credentials: BackstageCredentials,
  entity: Entity,
) {
  const pointer = entity.metadata.annotations?.[TECHDOCS_ENTITY_ANNOTATION];
  if (!pointer) return entity;
  return loadEntity({
    catalog: deps.catalog,
    credentials,
    input: pointer,
    defaultKind: 'component',
  });
}

/**
 * Build errors name where the portal's server keeps the sources and builds
 * them (`Failed to generate docs from /tmp/... into /tmp/...`): of no use to
 * an agent, and not the agent's to know.
 */
function withoutServerPaths(text: string) {
  return text
    .replace(/(?<![\w:/.~-])\/(?:[^\s/'"`;,]+\/)*[^\s/'"`;,]+/g, '<path>')
    .replace(/[.\s]+$/, '');
}

async function buildDocs(
  deps: DocsSiteDeps,
  site: CompoundEntityRef,
  options: { credentials: BackstageCredentials; signal?: AbortSignal },
) {
  const name = stringifyEntityRef(site);
  const { builder, buildWaitMs } = deps.config.techdocs;
  if (builder === 'external') {
    throw new NotFoundError(
      `The docs of ${name} have not been published yet. This portal builds docs outside Backstage (techdocs.builder: external), usually in the entity's CI pipeline, so there is nothing to read until that pipeline publishes them`,
    );
  }
  if (buildWaitMs === 0) {
    throw new NotFoundError(
      `The docs of ${name} have not been built yet, and this server does not start builds (mcp.techdocs.buildWaitSeconds: 0). Open the docs in the portal once to build them, then call again`,
    );
  }
  const outcome = await deps.techdocs.sync(site, {
    ...options,
    timeoutMs: buildWaitMs,
  });
  if (outcome.status === 'timeout') {
    throw new ServiceUnavailableError(
      `The docs of ${name} are being built now and were not ready within ${Math.round(
        buildWaitMs / 1000,
      )} seconds. Call again in a minute`,
    );
  }
  if (outcome.status === 'failed') {
    const said = outcome.buildErrors?.length
      ? ` mkdocs said: ${outcome.buildErrors
          .map(withoutServerPaths)
          .join(' | ')}.`
      : '';
    throw new NotFoundError(
      `The docs of ${name} could not be built: ${withoutServerPaths(
        outcome.message,
      )}.${said} ` +
        `Calling again builds them again and fails the same way until their sources (mkdocs.yml and the Markdown files) ` +
        `or the portal's docs builder are fixed: tell the entity's owners (catalog_get_owner {"ref": "${name}"}) or the portal's operators, ` +
        `who find the whole build log in the TechDocs backend's log. Meanwhile the entity's description and links are in catalog_get_entity`,
    );
  }
}

/**
 * Finds the docs of the entity an agent referred to, checking with the
 * catalog (as the caller) that the entity exists, may be read and has docs,
 * and has them built by the TechDocs backend when they are not built yet and
 * the portal builds docs itself.
 */
export async function openDocsSite(
  deps: DocsSiteDeps,
  options: {
    input: string;
    credentials: BackstageCredentials;
    signal?: AbortSignal;
  },
): Promise<DocsSite> {
  const { credentials, signal } = options;
  const entity = await loadEntity({
    catalog: deps.catalog,
    credentials,
    input: options.input,
    defaultKind: 'component',
  });
  const ref = stringifyEntityRef(entity);
  const holder = await docsHolder(deps, credentials, entity);
  const holderRef = stringifyEntityRef(holder);
  if (!holder.metadata.annotations?.[TECHDOCS_REF_ANNOTATION]) {
    throw new NotFoundError(
      `${holderRef} has no TechDocs (no ${TECHDOCS_REF_ANNOTATION} annotation), so there are no docs to read. ` +
        `Its description and links are in catalog_get_entity {"ref": "${holderRef}"}`,
    );
  }

  const siteEntity = getCompoundEntityRef(holder);
  const docsRef = holderRef === ref ? undefined : holderRef;
  const denied = `No docs of ${holderRef} were found, or you may not read them`;
  const readMetadata = () =>
    readOrUndefined(
      () => deps.techdocs.getMetadata(siteEntity, { credentials, signal }),
      denied,
    );
  const site = (
    metadata: TechDocsMetadata,
    buildTriggered: boolean,
  ): DocsSite => ({
    ref,
    docsRef,
    siteEntity,
    metadata,
    buildTriggered,
    readFile: async file => {
      const text = await readOrUndefined(
        () => deps.techdocs.getFile(siteEntity, file, { credentials, signal }),
        denied,
      );
      if (text === undefined)
        throw new NotFoundError(
          `The docs of ${holderRef} have no file ${file}`,
        );
      return text;
    },
  });

  const built = await readMetadata();
  if (built) return site(built, false);
  await buildDocs(deps, siteEntity, { credentials, signal });
  const rebuilt = await readMetadata();
  if (rebuilt) return site(rebuilt, true);
  throw new NotFoundError(
    `The docs of ${holderRef} were built but TechDocs has no site for them yet (the build may have produced no index page). Call again in a minute`,
  );
}
