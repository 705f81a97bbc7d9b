import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// Test-only code (imported by *.e2e.test.ts only, never bundled).
// eslint-disable-next-line @backstage/no-undeclared-imports
import { parse } from 'yaml';
import { DEMO_APP_CONFIG } from './demoBackend';

/** A component whose TechDocs live in a temporary directory of the test's own. */
export interface ScratchDocs {
  /** The component's name; its ref is `component:default/${name}`. */
  name: string;
  ref: string;
  /** The pages of the site, as techdocs_list_pages lists them. */
  pages: string[];
  directory: string;
  /**
   * The demo backend's environment that adds this component to the catalog
   * (the demo's own locations stay).
   */
  env: Record<string, string>;
  remove(): void;
}

/**
 * Writes a component with a two-page TechDocs site (`dir:` docs) into a
 * temporary directory. TechDocs builds `dir:` docs in their source folder
 * and rewrites its mkdocs.yml there, so a test that builds docs on purpose,
 * or breaks their build, uses a site no other backend builds.
 */
export function createScratchDocs(name = 'fault-test-docs'): ScratchDocs {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-scratch-docs-'));
  fs.mkdirSync(path.join(directory, 'docs'));
  fs.writeFileSync(
    path.join(directory, 'mkdocs.yml'),
    [
      'site_name: Fault test docs',
      'nav:',
      '  - Overview: index.md',
      '  - Runbook: runbook.md',
      'plugins:',
      '  - search',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(directory, 'docs', 'index.md'),
    '# Fault test docs\n\nWhat this service does.\n',
  );
  fs.writeFileSync(
    path.join(directory, 'docs', 'runbook.md'),
    '# Runbook\n\n## Restarting\n\nRestart the service with `kubectl rollout restart`.\n',
  );
  const descriptor = path.join(directory, 'catalog-info.yaml');
  fs.writeFileSync(
    descriptor,
    [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      `  name: ${name}`,
      '  description: A component whose docs the fault tests build, break and hang.',
      '  annotations:',
      '    backstage.io/techdocs-ref: dir:.',
      'spec:',
      '  type: service',
      '  lifecycle: experimental',
      '  owner: platform-team',
      '',
    ].join('\n'),
  );
  // A location list in the environment replaces the config file's list.
  const demoLocations = parse(fs.readFileSync(DEMO_APP_CONFIG, 'utf8')).catalog
    .locations as unknown[];
  const locations = [
    ...demoLocations,
    { type: 'file', target: descriptor, rules: [{ allow: ['Component'] }] },
  ];
  return {
    name,
    ref: `component:default/${name}`,
    pages: ['/', '/runbook/'],
    directory,
    env: { APP_CONFIG_catalog_locations: JSON.stringify(locations) },
    remove: () => fs.rmSync(directory, { recursive: true, force: true }),
  };
}
