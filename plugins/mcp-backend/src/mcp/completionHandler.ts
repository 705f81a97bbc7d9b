import { InputError } from '@backstage/errors';
import { CompleteRequest, CompleteResult } from '@modelcontextprotocol/server';
import { ResourceRegistry } from '../resources/resourceRegistry';
import { CompletionValues } from '../resources/types';
import { truncate } from '../tools/shared/entityRefs';
import { toolNameAccess } from './callerAccess';
import { PromptHandlers } from './promptHandlers';
import { McpRequestContext } from './requestContext';
import { ToolCatalog } from './toolCatalog';

const NOTHING: CompletionValues = { values: [], total: 0, hasMore: false };
const MAX_TYPED_CHARS = 200;

/**
 * completion/complete for resource template variables (ref/resource) and
 * prompt arguments (ref/prompt). A template or prompt the caller may not
 * use completes to nothing, like a list without the item; values come from
 * the catalog read with the caller's credentials.
 */
export function createCompletionHandler(deps: {
  tools: ToolCatalog;
  resources: ResourceRegistry;
  prompts: PromptHandlers;
}) {
  const { tools, resources, prompts } = deps;

  async function values(params: CompleteRequest['params'], context: McpRequestContext) {
    const { ref, argument } = params;
    const typed = argument.value.slice(0, MAX_TYPED_CHARS);
    const chosen = (params.context?.arguments ?? {}) as Record<string, string>;
    if (ref.type === 'ref/resource') {
      const template = resources.byUriTemplate(ref.uri);
      if (!template) {
        throw new InputError(
          `"${truncate(ref.uri, 200)}" is not a resource template of this server; call resources/templates/list`,
        );
      }
      const { mayUseTool } = await toolNameAccess(tools, context);
      if (!template.complete || !mayUseTool(template.sharesPermissionOf)) return NOTHING;
      return template.complete(
        { variable: argument.name, value: typed, chosen },
        { credentials: context.downstreamCredentials },
      );
    }
    const prompt = await prompts.find(ref.name, context);
    if (!prompt) return NOTHING;
    const promptArgument = prompt.arguments.find(a => a.name === argument.name);
    if (!promptArgument?.complete) return NOTHING;
    return promptArgument.complete(
      { value: typed, chosen },
      await prompts.promptContext(context),
    );
  }

  return async function complete(
    params: CompleteRequest['params'],
    context: McpRequestContext,
  ): Promise<CompleteResult> {
    return { completion: { ...(await values(params, context)) } };
  };
}
