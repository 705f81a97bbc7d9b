import {
  actionToolNamePrefix,
  actionToolsetName,
  assignActionToolNames,
} from './actionToolNames';

describe('assignActionToolNames', () => {
  it('names an action <pluginId>_<action_name> in snake_case', () => {
    expect(
      assignActionToolNames(
        [
          { pluginId: 'catalog', name: 'unregister-entity' },
          { pluginId: 'notifications', name: 'get-notifications' },
          { pluginId: 'my-plugin', name: 'doThing.now' },
        ],
        [],
      ),
    ).toEqual([
      'catalog_unregister_entity',
      'notifications_get_notifications',
      'my_plugin_do_thing_now',
    ]);
  });

  it('leaves native names to the native tools and numbers later duplicates', () => {
    expect(
      assignActionToolNames(
        [
          { pluginId: 'catalog', name: 'get-entity' },
          { pluginId: 'catalog', name: 'get_entity' },
          { pluginId: 'catalog', name: 'list-things' },
        ],
        ['catalog_get_entity'],
      ),
    ).toEqual([
      'catalog_get_entity_2',
      'catalog_get_entity_3',
      'catalog_list_things',
    ]);
  });

  it('keeps long names within 64 characters, distinct and stable', () => {
    const long =
      'a-very-long-action-name-that-goes-on-and-on-and-on-beyond-any-limit';
    const names = assignActionToolNames(
      [
        { pluginId: 'kubernetes', name: `${long}-one` },
        { pluginId: 'kubernetes', name: `${long}-two` },
      ],
      [],
    );
    expect(names.every(name => /^[a-z][a-z0-9_]{0,63}$/.test(name))).toBe(true);
    expect(names[0]).not.toBe(names[1]);
    expect(names[0].startsWith('kubernetes_a_very_long_action_name')).toBe(
      true,
    );
    expect(
      assignActionToolNames(
        [{ pluginId: 'kubernetes', name: `${long}-one` }],
        [],
      ),
    ).toEqual([names[0]]);
  });

  it('starts every name with a letter', () => {
    expect(
      assignActionToolNames([{ pluginId: '3d', name: 'render' }], []),
    ).toEqual(['a_3d_render']);
  });
});

describe('actionToolsetName', () => {
  it('names the toolset after the plugin, apart from the native toolsets', () => {
    expect(actionToolsetName('catalog')).toBe('catalog-actions');
    expect(actionToolsetName('myPlugin')).toBe('my-plugin-actions');
    expect(actionToolsetName('x'.repeat(40))).toMatch(/^[a-z][a-z0-9-]{0,31}$/);
  });

  it('gives the prefix every bridged tool name of a plugin starts with', () => {
    for (const pluginId of ['my-plugin', '3d']) {
      const [name] = assignActionToolNames([{ pluginId, name: 'go' }], []);
      expect(name.startsWith(actionToolNamePrefix(pluginId))).toBe(true);
    }
  });
});
