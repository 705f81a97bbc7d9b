import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { actionsServiceMock } from '@backstage/backend-test-utils/alpha';
import { ActionsServiceAction } from '@backstage/backend-plugin-api/alpha';
import { fakeAction, getNotificationsAction } from '../__testUtils__/actions';
import { ActionsBridge } from './actionsBridge';
import { readActionsBridgeConfig } from '../config/actionsConfig';

function bridgeWith(
  config: object,
  options: {
    takenNames?: string[];
    served?: (toolset: string, readOnly: boolean) => boolean;
  } = {},
) {
  const actions = actionsServiceMock.mock();
  const logger = mockServices.logger.mock();
  const bridge = new ActionsBridge({
    actions,
    auth: mockServices.auth(),
    logger,
    config: readActionsBridgeConfig(new ConfigReader(config)),
    takenNames: options.takenNames ?? ['catalog_get_entity'],
    served: tool =>
      options.served?.(tool.toolset, tool.annotations.readOnlyHint) ?? true,
  });
  const list = (listed: ActionsServiceAction[]) =>
    actions.list.mockResolvedValue({ actions: listed });
  return {
    actions,
    bridge,
    list,
    logger,
    names: () => bridge.tools().map(t => t.tool.name),
  };
}

const sources = (...pluginSources: string[]) => ({
  backend: { actions: { pluginSources } },
});

describe('ActionsBridge', () => {
  it('serves the listed actions of the plugin sources, sorted, in a toolset per plugin', async () => {
    const { bridge, list, names } = bridgeWith(
      sources('catalog', 'notifications'),
    );
    list([
      getNotificationsAction,
      fakeAction('catalog', 'unregister-entity'),
      fakeAction('other', 'x'),
    ]);
    await bridge.refresh();
    expect(names()).toEqual([
      'catalog_unregister_entity',
      'notifications_get_notifications',
    ]);
    expect(bridge.tools().map(t => t.tool.toolset)).toEqual([
      'catalog-actions',
      'notifications-actions',
    ]);
  });

  it('leaves out the actions native tools cover, unless exclude is set', async () => {
    const covered = [
      fakeAction('catalog', 'get-catalog-entity'),
      fakeAction('auth', 'who-am-i'),
    ];
    const byDefault = bridgeWith(sources('catalog', 'auth'));
    byDefault.list(covered);
    await byDefault.bridge.refresh();
    expect(byDefault.names()).toEqual([]);

    const everything = bridgeWith({
      ...sources('catalog', 'auth'),
      mcp: { actions: { exclude: [] } },
    });
    everything.list(covered);
    await everything.bridge.refresh();
    expect(everything.names()).toEqual([
      'auth_who_am_i',
      'catalog_get_catalog_entity',
    ]);
  });

  it('applies include and exclude patterns to action ids', async () => {
    const { bridge, list, names } = bridgeWith({
      ...sources('catalog', 'notifications'),
      mcp: {
        actions: {
          include: ['catalog:*', 'notifications:*'],
          exclude: ['catalog:unregister-*'],
        },
      },
    });
    list([
      getNotificationsAction,
      fakeAction('catalog', 'unregister-entity'),
      fakeAction('catalog', 'describe'),
    ]);
    await bridge.refresh();
    expect(names()).toEqual([
      'catalog_describe',
      'notifications_get_notifications',
    ]);
  });

  it('serves nothing when disabled, and never asks the registry', async () => {
    const { actions, bridge } = bridgeWith({
      ...sources('catalog'),
      mcp: { actions: { enabled: false } },
    });
    const scheduler = mockServices.scheduler.mock();
    const rootLifecycle = mockServices.rootLifecycle.mock();
    await bridge.start({ scheduler, rootLifecycle });
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
    expect(rootLifecycle.addStartupHook).not.toHaveBeenCalled();
    expect(actions.list).not.toHaveBeenCalled();
  });

  it('reads the list once the backend has started, then on the scheduler', async () => {
    const { actions, bridge, list, names } = bridgeWith({
      ...sources('notifications'),
      mcp: { actions: { refreshInterval: { minutes: 2 } } },
    });
    list([getNotificationsAction]);
    const scheduler = mockServices.scheduler.mock();
    const rootLifecycle = mockServices.rootLifecycle.mock();
    await bridge.start({ scheduler, rootLifecycle });
    expect(actions.list).not.toHaveBeenCalled();
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'mcp-actions-refresh',
        scope: 'local',
        frequency: { milliseconds: 120_000 },
      }),
    );
    const [hook] = rootLifecycle.addStartupHook.mock.calls[0];
    await hook();
    await bridge.refresh();
    expect(names()).toEqual(['notifications_get_notifications']);
  });

  it('keeps its array while the list is unchanged, so nothing is prepared again', async () => {
    const { bridge, list } = bridgeWith(sources('notifications'));
    list([getNotificationsAction]);
    await bridge.refresh();
    const first = bridge.tools();
    await bridge.refresh();
    expect(bridge.tools()).toBe(first);
    list([
      getNotificationsAction,
      fakeAction('notifications', 'mark-read', { readOnly: false }),
    ]);
    await bridge.refresh();
    expect(bridge.tools()).not.toBe(first);
    expect(bridge.tools()).toHaveLength(2);
  });

  it("keeps a plugin's actions while that plugin answers nothing, and all of them when the registry fails", async () => {
    const { actions, bridge, list, names, logger } = bridgeWith(
      sources('catalog', 'notifications'),
    );
    list([getNotificationsAction, fakeAction('catalog', 'describe')]);
    await bridge.refresh();
    list([fakeAction('catalog', 'describe')]);
    await bridge.refresh();
    expect(names()).toEqual([
      'catalog_describe',
      'notifications_get_notifications',
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('The notifications plugin listed no actions'),
    );

    actions.list.mockRejectedValue(new Error('connection refused'));
    await expect(bridge.refresh()).rejects.toThrow('connection refused');
    expect(names()).toEqual([
      'catalog_describe',
      'notifications_get_notifications',
    ]);
  });

  it('shares one reading between concurrent refreshes', async () => {
    const { actions, bridge, list } = bridgeWith(sources('notifications'));
    list([getNotificationsAction]);
    await Promise.all([bridge.refresh(), bridge.refresh(), bridge.refresh()]);
    expect(actions.list).toHaveBeenCalledTimes(1);
  });

  it('gives a native name to the native tool and the action the next free one', async () => {
    const { bridge, list, names } = bridgeWith(
      { ...sources('catalog'), mcp: { actions: { exclude: [] } } },
      { takenNames: ['catalog_get_entity'] },
    );
    list([fakeAction('catalog', 'get-entity')]);
    await bridge.refresh();
    expect(names()).toEqual(['catalog_get_entity_2']);
  });

  it('leaves out actions that need secrets and those the configuration does not serve', async () => {
    const { bridge, list, names } = bridgeWith(sources('catalog'), {
      served: (_toolset, readOnly) => readOnly,
    });
    const withSecrets = fakeAction('catalog', 'deploy');
    withSecrets.schema = { ...withSecrets.schema, secrets: { type: 'object' } };
    list([
      withSecrets,
      fakeAction('catalog', 'delete-all', { readOnly: false }),
      fakeAction('catalog', 'describe'),
    ]);
    await bridge.refresh();
    expect(names()).toEqual(['catalog_describe']);
  });
});

describe('readActionsBridgeConfig', () => {
  it('refuses patterns that cannot match an action id', () => {
    expect(() =>
      readActionsBridgeConfig(
        new ConfigReader({ mcp: { actions: { include: ['catalog'] } } }),
      ),
    ).toThrow(
      'Config mcp.actions.include entry "catalog" must match action ids',
    );
  });

  it('refuses a refresh interval out of bounds', () => {
    expect(() =>
      readActionsBridgeConfig(
        new ConfigReader({ mcp: { actions: { refreshInterval: '1s' } } }),
      ),
    ).toThrow('mcp.actions.refreshInterval must be from 5 seconds to 24 hours');
  });
});
