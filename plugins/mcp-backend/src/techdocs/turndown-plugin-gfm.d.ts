// The package ships no types; it exports turndown plugins (functions that
// add rules to a TurndownService), of which the converter uses `gfm`.
declare module '@joplin/turndown-plugin-gfm' {
  import TurndownService from 'turndown';

  export const gfm: TurndownService.Plugin;
  export const tables: TurndownService.Plugin;
  export const strikethrough: TurndownService.Plugin;
  export const taskListItems: TurndownService.Plugin;
}
