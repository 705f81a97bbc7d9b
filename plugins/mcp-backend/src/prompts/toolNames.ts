/**
 * Tools of toolsets built on other branches (search, TechDocs). Prompts
 * mention them only when the caller may use them, so until those toolsets
 * exist under these names the steps are simply left out.
 */
export const SEARCH_TOOL = 'search';
/** See {@link SEARCH_TOOL}. */
export const TECHDOCS_PAGE_TOOL = 'techdocs_get_page';
