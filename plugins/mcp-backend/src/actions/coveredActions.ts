/**
 * Actions of Backstage's own plugins that a native tool already serves
 * better (pagination, field projection, governance of the template run):
 * left out of the bridge unless `mcp.actions.exclude` is set. The README
 * lists them with the tool that covers each.
 */
export const NATIVELY_COVERED_ACTIONS: readonly string[] = [
  'auth:who-am-i', // whoami
  'catalog:get-catalog-entity', // catalog_get_entity
  'catalog:query-catalog-entities', // catalog_search
  'catalog:refresh-catalog-entity', // catalog_refresh_entity
  'catalog:register-entity', // catalog_register_location
  'catalog:validate-entity', // catalog_validate_entity
  'scaffolder:dry-run-template', // scaffolder_validate_values
  'scaffolder:execute-template', // scaffolder_run_template
  'scaffolder:get-scaffolder-task-logs', // scaffolder_get_task
  'scaffolder:list-scaffolder-actions', // scaffolder_list_actions
  'scaffolder:list-scaffolder-tasks', // scaffolder_list_tasks
  'search:query', // search
  'techdocs:get-techdocs-metadata', // techdocs_list_pages
];
