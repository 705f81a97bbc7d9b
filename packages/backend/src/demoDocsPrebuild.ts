import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';

const TECHDOCS_REF = 'backstage.io/techdocs-ref';

/**
 * Demo only: builds every entity's TechDocs soon after start, so that the
 * search index has docs from the first minutes (a portal with
 * `techdocs.builder: local` otherwise builds docs on first view only, and the
 * TechDocs search collator indexes built docs only). This is the portal's own
 * housekeeping, done with its service identity; nobody's request is served.
 * `demo.prebuildDocs: false` switches it off (the replica tests do: it runs
 * mkdocs for every site, heavy work that they do not need). With
 * `techdocs.builder: external` (the demo's default: prebuilt sites) there is
 * nothing to build.
 */
export default createBackendModule({
  pluginId: 'techdocs',
  moduleId: 'demo-prebuild',
  register(reg) {
    reg.registerInit({
      deps: {
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
      },
      async init({ auth, config, discovery, logger, scheduler, catalog }) {
        if (config.getOptionalBoolean('demo.prebuildDocs') === false) {
          logger.info('TechDocs prebuild is off (demo.prebuildDocs: false)');
          return;
        }
        if (config.getOptionalString('techdocs.builder') !== 'local') {
          logger.info(
            'TechDocs prebuild is off: the sites are prebuilt (techdocs.builder is not local)',
          );
          return;
        }
        await scheduler.scheduleTask({
          id: 'demo-techdocs-prebuild',
          frequency: { minutes: 10 },
          timeout: { minutes: 5 },
          // After the example catalog is ingested (about 7 s after start).
          initialDelay: { seconds: 8 },
          fn: async () => {
            const credentials = await auth.getOwnServiceCredentials();
            const documented = () =>
              catalog.getEntities(
                {
                  filter: {
                    [`metadata.annotations.${TECHDOCS_REF}`]:
                      CATALOG_FILTER_EXISTS,
                  },
                  fields: ['kind', 'metadata.namespace', 'metadata.name'],
                },
                { credentials },
              );
            // On a loaded machine the catalog may not have ingested the
            // examples 8 s after start; without this wait the first run found
            // nothing and the docs were built only 10 minutes later.
            let { items } = await documented();
            for (let wait = 0; items.length === 0 && wait < 24; wait++) {
              await new Promise(resolve => setTimeout(resolve, 5000));
              ({ items } = await documented());
            }
            const baseUrl = await discovery.getBaseUrl('techdocs');
            for (const entity of items) {
              const { token } = await auth.getPluginRequestToken({
                onBehalfOf: credentials,
                targetPluginId: 'techdocs',
              });
              const path = `${entity.metadata.namespace ?? 'default'}/${
                entity.kind
              }/${entity.metadata.name}`;
              // The sync endpoint streams the build log and ends when done.
              const response = await fetch(`${baseUrl}/sync/${path}`, {
                headers: {
                  Authorization: `Bearer ${token}`,
                  Accept: 'text/event-stream',
                },
              });
              await response.text();
              logger.info(
                `Prebuilt TechDocs of ${stringifyEntityRef(entity)} (${
                  response.status
                })`,
              );
            }
          },
        });
      },
    });
  },
});
