import { CatalogService } from '@backstage/plugin-catalog-node';
import { entityKindArgument } from './entityArguments';
import { allowedSteps, userText } from './steps';
import { McpPrompt } from './types';

/** `what_do_i_own`: the caller's and their teams' entities. */
export function createWhatDoIOwnPrompt(deps: {
  catalog: CatalogService;
}): McpPrompt {
  return {
    name: 'what_do_i_own',
    title: 'What do I own?',
    description:
      'List what you and your teams own in the catalog, optionally only one kind (Component, API, System...).',
    arguments: [
      entityKindArgument({
        catalog: deps.catalog,
        name: 'kind',
        description:
          'Only entities of this kind, e.g. "Component" or "API"; all kinds when omitted',
      }),
    ],
    essentialTools: ['catalog_list_owned_entities'],
    async get(args, { mayUseTool }) {
      const kind = args.kind?.trim();
      const filter = kind ? `, "kind": "${kind}"` : '';
      const steps = allowedSteps(
        [
          {
            tool: 'whoami',
            text: 'your user entity ref and the groups you belong to.',
          },
          {
            tool: 'catalog_list_owned_entities',
            text: `{"owner": "<your user ref, then each of your groups>"${filter}}: what each of them owns.`,
          },
        ],
        mayUseTool,
      );
      return {
        description: kind ? `What I own, of kind ${kind}` : 'What I own',
        messages: [
          userText(
            `What do I own in the software catalog${
              kind ? ` (only ${kind} entities)` : ''
            }, directly or through my teams? Group the answer by owner and kind.\n${steps}`,
          ),
        ],
      };
    },
  };
}
