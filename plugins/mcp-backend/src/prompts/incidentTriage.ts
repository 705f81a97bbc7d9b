import { CatalogService } from '@backstage/plugin-catalog-node';
import { normalizeRef } from '../tools/shared/entityRefs';
import { entityRefArgument } from './entityArguments';
import { allowedSteps, userText } from './steps';
import { SEARCH_TOOL, TECHDOCS_PAGE_TOOL } from './toolNames';
import { McpPrompt } from './types';

/** `incident_triage`: who to call and what is affected when a component fails. */
export function createIncidentTriagePrompt(deps: {
  catalog: CatalogService;
}): McpPrompt {
  return {
    name: 'incident_triage',
    title: 'Triage an incident',
    description:
      'A component is failing: find its owners and on-call contacts, what it depends on and what depends on it (two levels), and its runbooks.',
    arguments: [
      entityRefArgument({
        catalog: deps.catalog,
        name: 'component',
        kind: 'component',
        description:
          'The failing component\'s entity ref, e.g. "component:default/checkout-service" or "checkout-service"',
      }),
    ],
    essentialTools: ['catalog_get_owner', 'catalog_get_relations'],
    async get(args, { mayUseTool }) {
      const ref = normalizeRef(args.component!, 'component');
      const steps = allowedSteps(
        [
          {
            tool: 'catalog_get_owner',
            text: `{"ref": "${ref}"}: the owning team, its members and on-call contacts (PagerDuty, Slack, e-mail).`,
          },
          {
            tool: 'catalog_get_relations',
            text: `{"ref": "${ref}", "depth": 2}: its dependencies (a failing dependency may be the cause) and its dependents (who is affected).`,
          },
          {
            tool: SEARCH_TOOL,
            text: `search for runbooks and incident notes of ${ref}.`,
          },
          {
            tool: TECHDOCS_PAGE_TOOL,
            text: `read the runbook pages you found.`,
          },
        ],
        mayUseTool,
      );
      return {
        description: `Incident triage for ${ref}`,
        messages: [
          userText(
            `${ref} is failing. Help me triage: who should be contacted now, what could be causing it, what else is affected, and which runbook applies. Work through these steps and report contacts first:\n${steps}`,
          ),
        ],
      };
    },
  };
}
