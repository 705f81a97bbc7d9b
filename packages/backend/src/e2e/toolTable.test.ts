import { describeTools, ListedTool, tableCells } from './toolTable';

const tool = (name: string, readOnlyHint: boolean): ListedTool => ({
  name,
  annotations: { readOnlyHint },
});

const ALL = [
  tool('whoami', true),
  tool('catalog_search', true),
  tool('catalog_get_entity', true),
  tool('catalog_refresh_entity', false),
  tool('catalog_register_location', false),
  tool('api_get_spec', true),
  tool('scaffolder_list_templates', true),
  tool('scaffolder_get_task', true),
  tool('scaffolder_run_template', false),
  tool('scaffolder_cancel_task', false),
  tool('scaffolder_retry_task', false),
  tool('search', true),
];
const allBut = (...left: string[]) =>
  ALL.map(t => t.name).filter(name => !left.includes(name));

describe('describeTools', () => {
  it.each([
    ['every tool', allBut(), 'all'],
    ['no tool', [], 'none'],
    [
      'all but a few',
      allBut('catalog_refresh_entity'),
      'all but `catalog_refresh_entity`',
    ],
    [
      'the read-only tools and two more',
      [
        ...ALL.filter(t => t.annotations?.readOnlyHint).map(t => t.name),
        'scaffolder_run_template',
        'scaffolder_cancel_task',
      ],
      'the read-only tools plus `scaffolder_run_template` and `scaffolder_cancel_task`',
    ],
    [
      'whoami and the read-only tools of one toolset',
      ['whoami', 'catalog_search', 'catalog_get_entity'],
      '`whoami` and the read-only catalog tools',
    ],
    [
      'whole toolsets',
      [
        'whoami',
        'catalog_search',
        'catalog_get_entity',
        'catalog_refresh_entity',
        'catalog_register_location',
        'api_get_spec',
      ],
      '`whoami`, the catalog tools and `api_get_spec`',
    ],
    [
      'a tie, in the first wording',
      allBut('catalog_refresh_entity', 'catalog_register_location'),
      'all but `catalog_refresh_entity` and `catalog_register_location`',
    ],
  ])('words %s', (_case, caller, text) => {
    expect(describeTools(caller, ALL)).toBe(text);
  });

  it('reads the cells of a Markdown table row, escaped pipes included', () => {
    expect(tableCells('| guest | `curl x \\| jq -r .token` | all |')).toEqual([
      'guest',
      '`curl x | jq -r .token`',
      'all',
    ]);
  });
});
