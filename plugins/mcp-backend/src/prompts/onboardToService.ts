import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { entityResourceUri } from '../resources/entityResource';
import { parseRefInput } from '../tools/shared/entityRefs';
import { entityRefArgument } from './entityArguments';
import { allowedSteps, userResource, userText } from './steps';
import { SEARCH_TOOL, TECHDOCS_PAGE_TOOL } from './toolNames';
import { McpPrompt } from './types';

/** `onboard_to_service`: get to know a service, starting from its catalog entry. */
export function createOnboardToServicePrompt(deps: {
  catalog: CatalogService;
}): McpPrompt {
  return {
    name: 'onboard_to_service',
    title: 'Onboard to a service',
    description:
      'Get to know a service: its catalog entry (embedded), then its owners, dependencies, APIs and documentation, with the tools to call next.',
    arguments: [
      entityRefArgument({
        catalog: deps.catalog,
        name: 'service',
        kind: 'component',
        description:
          'The service\'s entity ref, e.g. "component:default/checkout-service" or just "checkout-service"',
      }),
    ],
    essentialTools: ['catalog_get_entity'],
    async get(args, { mayUseTool, readResource }) {
      const { ref } = parseRefInput(args.service!, 'component');
      const refText = stringifyEntityRef(ref);
      const entity = await readResource(entityResourceUri(ref));
      const steps = allowedSteps(
        [
          {
            tool: 'catalog_get_owner',
            text: `{"ref": "${refText}"}: who owns it and how to reach them.`,
          },
          {
            tool: 'catalog_get_relations',
            text: `{"ref": "${refText}", "depth": 2}: what it depends on and what depends on it.`,
          },
          {
            tool: 'api_get_spec',
            text: `the APIs it provides and consumes (providesApi and consumesApi in its catalog entry): read the one you need.`,
          },
          {
            tool: SEARCH_TOOL,
            text: `find its documentation, runbooks and how-tos by name.`,
          },
          { tool: TECHDOCS_PAGE_TOOL, text: `read its TechDocs pages.` },
        ],
        mayUseTool,
      );
      return {
        description: `Onboarding to ${refText}`,
        messages: [
          userText(
            `I am new to ${refText} and want to understand it well enough to work on it. Its catalog entry is attached. Summarize what it does, who owns it, what it depends on and what depends on it, and where its documentation is.`,
          ),
          userResource(entity),
          ...(steps
            ? [userText(`Use these tools to fill in the picture:\n${steps}`)]
            : []),
        ],
      };
    },
  };
}
