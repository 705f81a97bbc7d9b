import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import { makeEntity } from '../../__testUtils__/entities';
import { readMcpConfig } from '../../config';
import { createTechDocsClient } from '../techdocsClient';
import { fixtureSite, startFakeTechDocs, SyncBehaviour } from './fakeTechDocs';

const docs = (ref = 'dir:.') => ({ 'backstage.io/techdocs-ref': ref });

/**
 * Entities of the TechDocs tool tests: payment-service has built docs (the
 * real fixture site); unbuilt-service has docs the TechDocs backend has not
 * built yet; broken-service's build fails; slow-service's build never ends;
 * no-docs-service has no docs; payment-facade points at payment-service for
 * its docs; hidden-by-techdocs is readable in the catalog but TechDocs
 * answers 403 for it.
 */
export const DOCS_ENTITIES = [
  makeEntity({
    kind: 'Component',
    name: 'payment-service',
    annotations: docs(),
  }),
  makeEntity({
    kind: 'Component',
    name: 'unbuilt-service',
    annotations: docs(),
  }),
  makeEntity({
    kind: 'Component',
    name: 'broken-service',
    annotations: docs(),
  }),
  makeEntity({ kind: 'Component', name: 'slow-service', annotations: docs() }),
  makeEntity({ kind: 'Component', name: 'no-docs-service' }),
  makeEntity({
    kind: 'Component',
    name: 'payment-facade',
    annotations: {
      'backstage.io/techdocs-entity': 'component:default/payment-service',
    },
  }),
  makeEntity({
    kind: 'Component',
    name: 'hidden-by-techdocs',
    annotations: docs(),
  }),
];

/** Where the fake TechDocs keeps payment-service's site. */
export const SITE_KEY = 'default/component/payment-service';

/**
 * A catalog with {@link DOCS_ENTITIES} (less those in `hidden`, as a catalog
 * that may not show them to the caller), a fake TechDocs backend over HTTP,
 * and the tool dependencies wired to both.
 */
export async function startDocsFixture(
  options: { hidden?: string[]; mcp?: JsonObject; techdocs?: JsonObject } = {},
) {
  const entities = DOCS_ENTITIES.filter(
    e => !options.hidden?.includes(e.metadata.name),
  );
  const catalog = catalogServiceMock({ entities });
  const sync: Record<string, SyncBehaviour> = {
    'default/component/unbuilt-service': { kind: 'build', site: fixtureSite() },
    // As the TechDocs backend reports a build whose mkdocs failed.
    'default/component/broken-service': {
      kind: 'fail',
      message:
        'Failed to generate docs from /srv/docs/broken-service into /tmp/techdocs-tmp-a1b2c3; caused by Error: Command mkdocs failed, exit code: 1',
      log: [
        '\u001b[32minfo\u001b[39m: Step 2 of 3: Generating docs for entity component:default/broken-service',
        'INFO    -  Cleaning site directory\nERROR   -  Config value "theme": Unrecognised theme name: "material".',
      ],
    },
    'default/component/slow-service': { kind: 'hang' },
  };
  const fake = await startFakeTechDocs({
    sites: { [SITE_KEY]: fixtureSite() },
    sync,
    forbidden: ['default/component/hidden-by-techdocs'],
  });
  const config = readMcpConfig(
    new ConfigReader({
      ...(options.mcp ? { mcp: options.mcp } : {}),
      ...(options.techdocs ? { techdocs: options.techdocs } : {}),
    }),
  );
  const techdocs = createTechDocsClient({
    discovery: fake.discovery,
    auth: mockServices.auth(),
  });
  return { catalog, config, techdocs, fake };
}
