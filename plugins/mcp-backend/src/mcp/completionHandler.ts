import { InputError } from '@backstage/errors';
import { CompleteRequest, CompleteResult } from '@modelcontextprotocol/server';
import { ResourceRegistry } from '../resources/resourceRegistry';
import { CompletionValues } from '../resources/types';
import { truncate } from '../tools/shared/entityRefs';
import { toolNameAccess } from './callerAccess';
import { GovernedRunner } from './governedRunner';
import { PromptHandlers } from './promptHandlers';
import { toProtocolError } from './protocolErrors';
import { McpRequestContext } from './requestContext';
import { ToolInventory } from './toolInventory';

const NOTHING: CompletionValues = { values: [], total: 0, hasMore: false };
const MAX_TYPED_CHARS = 200;

/**
 * completion/complete for resource template variables (ref/resource) and
 * prompt arguments (ref/prompt), through the governed runner: values come
 * from the catalog read with the caller's credentials, so completion takes
 * from the caller's budget and is audited like a read. A template or prompt
 * the caller may not use completes to nothing, like a list without the item.
 */
export function createCompletionHandler(deps: {
  tools: ToolInventory;
  resources: ResourceRegistry;
  prompts: PromptHandlers;
  runGoverned: GovernedRunner;
}) {
  const { tools, resources, prompts, runGoverned } = deps;

  async function values(
    params: CompleteRequest['params'],
    context: McpRequestContext,
  ) {
    const { ref, argument } = params;
    const typed = argument.value.slice(0, MAX_TYPED_CHARS);
    const chosen = (params.context?.arguments ?? {}) as Record<string, string>;
    const mayUseTool = await toolNameAccess(tools, context);
    if (ref.type === 'ref/resource') {
      const template = resources.byUriTemplate(ref.uri)!;
      if (!template.complete || !mayUseTool(template.sharesPermissionOf))
        return NOTHING;
      return template.complete(
        { variable: argument.name, value: typed, chosen },
        { credentials: context.credentials },
      );
    }
    const prompt = prompts.find(ref.name, mayUseTool);
    const promptArgument = prompt?.arguments.find(
      a => a.name === argument.name,
    );
    if (!promptArgument?.complete) return NOTHING;
    return promptArgument.complete(
      { value: typed, chosen },
      prompts.promptContext(context, mayUseTool),
    );
  }

  return async function complete(
    params: CompleteRequest['params'],
    context: McpRequestContext & { signal?: AbortSignal },
  ): Promise<CompleteResult> {
    const { ref, argument } = params;
    const target =
      ref.type === 'ref/resource'
        ? truncate(ref.uri, 200)
        : truncate(ref.name, 100);
    const outcome = await runGoverned(
      {
        eventId: 'completion',
        operation: { method: 'completion/complete' },
        action: 'complete arguments',
        subject: `completion of ${target}`,
        meta: {
          ref: { type: ref.type, target },
          argument: truncate(argument.name, 100),
        },
        validate: () => {
          if (
            ref.type === 'ref/resource' &&
            !resources.byUriTemplate(ref.uri)
          ) {
            throw new InputError(
              `"${truncate(
                ref.uri,
                200,
              )}" is not a resource template of this server; call resources/templates/list`,
            );
          }
          return params;
        },
        run: request => values(request, context),
      },
      context,
    );
    if (!outcome.ok) throw toProtocolError(outcome);
    return { completion: { ...outcome.value } };
  };
}
