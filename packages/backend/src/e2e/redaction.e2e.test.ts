import {
  connectMcpClient,
  McpTestClient,
  PROTOCOL_ERAS,
  ProtocolEra,
} from '@backstage-mcp/test-utils';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { DemoBackend, DEMO_TOKENS, startDemoBackend } from './demoBackend';

// Test-only code, never bundled: __dirname is the source folder here.
// eslint-disable-next-line no-restricted-syntax
const PROPOSED = path.resolve(
  __dirname,
  '../../../../examples/hygiene/loyalty-service.yaml',
);

/** app-config.yaml restricts spec.profile.email and masks `*\/escalation-policy-id`. */
const ESCALATION = 'pagerduty.com/escalation-policy-id';

const INVALID_DESCRIPTOR = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: Not Valid!
spec:
  type: service
  lifecycle: production
  owner: payments-team
`;

describe('field restrictions and catalog write tools on the demo backend', () => {
  let backend: DemoBackend;
  let repository: http.Server;
  let proposedUrl: string;
  const authorization = { Authorization: `Bearer ${DEMO_TOKENS.agent}` };

  beforeAll(async () => {
    // A stand-in for the repository that holds a proposed catalog-info.yaml:
    // the demo catalog registers only `url` locations, read through the
    // backend's UrlReader, which may read this one host only.
    repository = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/yaml' });
      res.end(fs.readFileSync(PROPOSED));
    });
    await new Promise<void>(resolve =>
      repository.listen(0, '127.0.0.1', resolve),
    );
    const host = `127.0.0.1:${(repository.address() as AddressInfo).port}`;
    proposedUrl = `http://${host}/acme/loyalty/catalog-info.yaml`;
    backend = await startDemoBackend({
      env: { APP_CONFIG_backend_reading_allow: JSON.stringify([{ host }]) },
    });
  }, 180_000);
  afterAll(async () => {
    await backend?.stop();
    await new Promise(resolve => repository?.close(resolve));
  });

  describe.each(PROTOCOL_ERAS)('with a %s client', (era: ProtocolEra) => {
    let agent: McpTestClient;
    beforeAll(async () => {
      agent = await connectMcpClient(era, backend.mcpUrl, authorization);
    });
    afterAll(() => agent.close());

    it('shows entities without emails and with masked escalation policies, and audits the paths', async () => {
      const rest = await fetch(
        `${backend.baseUrl}/api/catalog/entities/by-name/group/default/payments-team`,
        { headers: authorization },
      );
      const raw = await rest.json();
      expect(raw.spec.profile.email).toBe('payments-team@acme-retail.example');

      const logs = backend.logsSince();
      const result = await agent.callTool('catalog_get_entity', {
        ref: 'group:payments-team',
      });
      expect(result.isError).toBeFalsy();
      const entity = (result.structuredContent as any).entity;
      expect(entity.spec.profile).toEqual({ displayName: 'Payments Team' });
      expect(entity.annotations[ESCALATION]).toBe('[redacted]');
      expect(entity.annotations['acme-retail.example/slack-channel']).toBe(
        '#team-payments',
      );
      expect(result.content[0].text).not.toMatch(
        /@acme-retail\.example|PX3K9QZ/,
      );

      await new Promise(resolve => setTimeout(resolve, 200));
      const line = logs()
        .split('\n')
        .find(
          l =>
            l.includes('"fieldsRedacted"') && l.includes('catalog_get_entity'),
        );
      expect(line).toBeDefined();
      expect(line).toContain(
        `"fieldsRedacted":["metadata.annotations.${ESCALATION}","spec.profile.email"]`,
      );
      expect(line).not.toContain('PX3K9QZ');
    });

    it('keeps member and team emails out of catalog_get_owner', async () => {
      const result = await agent.callTool('catalog_get_owner', {
        ref: 'api:default/payment-api',
      });
      expect(result.isError).toBeFalsy();
      const owner = (result.structuredContent as any).owners[0];
      expect(owner.ref).toBe('group:default/payments-team');
      expect(owner.members.length).toBeGreaterThan(0);
      expect(owner.email).toBeUndefined();
      expect(
        owner.members.every((m: any) => m.email === undefined && m.ref),
      ).toBe(true);
      expect(owner.contacts).toContainEqual({
        label: ESCALATION,
        value: '[redacted]',
      });
      expect(result.content[0].text).not.toMatch(
        /@acme-retail\.example|PX3K9QZ/,
      );
    });

    it('keeps emails out of entity resources and value lists', async () => {
      const [contents] = await agent.readResource(
        'backstage://entity/user/default/olivia.bennett',
      );
      expect(JSON.parse(contents.text!).entity.spec.profile).toEqual({
        displayName: 'Olivia Bennett',
      });
      const values = await agent.callTool('catalog_list_values', {
        field: 'spec.profile.email',
      });
      expect(JSON.stringify(values.structuredContent)).not.toContain(
        '@acme-retail.example',
      );
    });

    it.each([
      ['SPEC.PROFILE.EMAIL', /@acme-retail\.example/],
      [`METADATA.ANNOTATIONS.${ESCALATION.toUpperCase()}`, /PX3K9QZ/],
      [`metadata.annotations.PagerDuty.com/Escalation-Policy-Id`, /PX3K9QZ/],
    ])(
      'holds the restrictions when a value list names the field as %s',
      async (field, secret) => {
        const values = await agent.callTool('catalog_list_values', { field });
        expect(values.isError).toBeFalsy();
        const listed = (values.structuredContent as any).values;
        expect(listed.length).toBeGreaterThan(0);
        expect(JSON.stringify(values.structuredContent)).not.toMatch(secret);
      },
    );

    it('keeps restricted values out of the search hits of catalog entities', async () => {
      const args = {
        query: 'acme-retail.example',
        kind: 'User',
        response_format: 'detailed',
      };
      // The catalog collator indexes users' e-mails; it runs 15 s after boot.
      const deadline = Date.now() + 90_000;
      let result = await agent.callTool('search', args);
      while (
        !(result.structuredContent as any)?.items?.length &&
        Date.now() < deadline
      ) {
        await new Promise(resolve => setTimeout(resolve, 1000));
        result = await agent.callTool('search', args);
      }
      const hits = (result.structuredContent as any).items;
      expect(hits.length).toBeGreaterThan(0);
      expect(
        hits.every((hit: any) => hit.ref?.startsWith('user:default/')),
      ).toBe(true);
      expect(result.content[0].text).not.toMatch(
        /[a-z.]+@acme-retail\.example/,
      );
      expect(
        hits.some((hit: any) => JSON.stringify(hit).includes('[redacted]')),
      ).toBe(true);
    });

    it('validates descriptors with the catalog and names what to fix', async () => {
      const result = await agent.callTool('catalog_validate_entity', {
        yaml: INVALID_DESCRIPTOR,
      });
      expect(result.isError).toBeFalsy();
      const report = result.structuredContent as any;
      expect(report.valid).toBe(false);
      expect(report.documents[0].errors.join(' ')).toMatch(/metadata\.name/);
    });

    it('registers nothing on a dry run, listing the entities it would add', async () => {
      const result = await agent.callTool('catalog_register_location', {
        target: proposedUrl,
      });
      expect(result.isError ? result.content[0].text : 'ok').toBe('ok');
      const run = result.structuredContent as any;
      expect(run).toMatchObject({ dry_run: true, registered: false });
      expect(run.entities).toEqual(
        expect.arrayContaining(['component:default/loyalty-service']),
      );
      const locations = await (
        await fetch(`${backend.baseUrl}/api/catalog/locations`, {
          headers: authorization,
        })
      ).json();
      expect(JSON.stringify(locations)).not.toContain('/acme/loyalty/');
      const lookup = await agent.callTool('catalog_get_entity', {
        ref: 'loyalty-service',
      });
      expect(lookup.isError).toBe(true);
    });
  });
});
