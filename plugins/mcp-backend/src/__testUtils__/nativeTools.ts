import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderServiceMock } from '@backstage/plugin-scaffolder-node/testUtils';
import { McpConfig, readMcpConfig } from '../config';
import { createTools } from '../tools';
import { templateRunsForTests } from './templateRuns';

/** Every native tool, built with mock services (for tests of their definitions). */
export function nativeToolsForTests(
  config: McpConfig = readMcpConfig(new ConfigReader({})),
) {
  return createTools({
    config,
    catalog: catalogServiceMock(),
    scaffolder: scaffolderServiceMock.mock(),
    userInfo: mockServices.userInfo(),
    discovery: mockServices.discovery(),
    auth: mockServices.auth(),
    serverInfo: { name: 'backstage-mcp', version: '0.0.0' },
    templateRuns: templateRunsForTests(),
  });
}
