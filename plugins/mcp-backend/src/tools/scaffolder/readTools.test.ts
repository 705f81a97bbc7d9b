import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderServiceMock } from '@backstage/plugin-scaffolder-node/testUtils';
import { readMcpConfig } from '../../config';
import { scaffolderReadTools } from './readTools';

describe('scaffolderReadTools', () => {
  it('lists the read-only scaffolder tools in order', () => {
    const tools = scaffolderReadTools({
      catalog: catalogServiceMock(),
      scaffolder: scaffolderServiceMock.mock(),
      config: readMcpConfig(new ConfigReader({})),
    });
    expect(
      tools.map(t => [t.name, t.toolset, t.annotations.readOnlyHint]),
    ).toEqual([
      ['scaffolder_list_templates', 'scaffolder', true],
      ['scaffolder_get_template', 'scaffolder', true],
      ['scaffolder_validate_values', 'scaffolder', true],
      ['scaffolder_list_actions', 'scaffolder', true],
    ]);
  });
});
