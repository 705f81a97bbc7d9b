import { ConfigReader } from '@backstage/config';
import { scaffolderServiceMock } from '@backstage/plugin-scaffolder-node/testUtils';
import { templateRunsForTests } from '../../__testUtils__/templateRuns';
import { readMcpConfig } from '../../config';
import { scaffolderTaskTools } from './taskTools';

describe('scaffolderTaskTools', () => {
  it('lists the task tools of the scaffolder toolset in order', () => {
    const tools = scaffolderTaskTools({
      scaffolder: scaffolderServiceMock.mock(),
      config: readMcpConfig(new ConfigReader({})),
      assertMayActOnTask: templateRunsForTests().assertMayActOnTask,
    });
    expect(tools.map(t => t.name)).toEqual([
      'scaffolder_list_tasks',
      'scaffolder_get_task',
      'scaffolder_cancel_task',
      'scaffolder_retry_task',
    ]);
    expect(new Set(tools.map(t => t.toolset))).toEqual(new Set(['scaffolder']));
  });
});
