import { InputError, NotFoundError } from '@backstage/errors';
import {
  GetPromptResult,
  ListPromptsResult,
} from '@modelcontextprotocol/server';
import { McpPrompt, PromptContext } from '../prompts/types';
import { truncate } from '../tools/shared/entityRefs';
import { summarizeToolArguments } from './argumentSummary';
import { toolNameAccess, toolNamesAllowed } from './callerAccess';
import { GovernedRunner } from './governedRunner';
import { toProtocolError } from './protocolErrors';
import { McpRequestContext } from './requestContext';
import { ResourceHandlers } from './resourceHandlers';
import { ToolInventory } from './toolInventory';

const MAX_ARGUMENT_CHARS = 1000;

function listed(prompt: McpPrompt) {
  return {
    name: prompt.name,
    title: prompt.title,
    description: prompt.description,
    arguments: prompt.arguments.map(({ name, description, required }) => ({
      name,
      description,
      required,
    })),
  };
}

/** A prompt is served when the caller may use at least one of its essential tools. */
function mayUse(prompt: McpPrompt, mayUseTool: (name: string) => boolean) {
  return prompt.essentialTools.some(mayUseTool);
}

function validArguments(prompt: McpPrompt, given: Record<string, unknown>) {
  const known = new Set(prompt.arguments.map(a => a.name));
  const unknown = Object.keys(given).filter(key => !known.has(key));
  if (unknown.length) {
    throw new InputError(
      `${prompt.name} has no argument ${unknown
        .map(k => `"${truncate(k, 50)}"`)
        .join(', ')}; its arguments are ${[...known].join(', ')}`,
    );
  }
  const args: Record<string, string | undefined> = {};
  for (const argument of prompt.arguments) {
    const value = given[argument.name];
    if (value === undefined || value === '') {
      if (argument.required)
        throw new InputError(
          `${prompt.name} needs the argument "${argument.name}": ${argument.description}`,
        );
      continue;
    }
    if (typeof value !== 'string' || value.length > MAX_ARGUMENT_CHARS) {
      throw new InputError(
        `The argument "${argument.name}" must be a string of at most ${MAX_ARGUMENT_CHARS} characters`,
      );
    }
    args[argument.name] = value;
  }
  return args;
}

/**
 * prompts/list and prompts/get for one caller, and the context prompts run
 * in: prompts whose essential tools the caller may not use are neither
 * listed nor served; every get goes through the governed runner.
 */
export function createPromptHandlers(deps: {
  tools: ToolInventory;
  prompts: readonly McpPrompt[];
  resources: ResourceHandlers;
  runGoverned: GovernedRunner;
}) {
  const { tools, prompts, resources, runGoverned } = deps;

  function promptContext(
    context: McpRequestContext,
    mayUseTool: (name: string) => boolean,
  ): PromptContext {
    return {
      credentials: context.credentials,
      mayUseTool,
      readResource: uri => resources.readAsCaller(uri, context),
    };
  }

  return {
    promptContext,

    /** The prompt by name if the caller may use it. */
    find(name: string, mayUseTool: (name: string) => boolean) {
      const prompt = prompts.find(p => p.name === name);
      return prompt && mayUse(prompt, mayUseTool) ? prompt : undefined;
    },

    async list(context: McpRequestContext): Promise<ListPromptsResult> {
      const mayUseTool = await toolNameAccess(tools, context);
      return {
        prompts: prompts.filter(p => mayUse(p, mayUseTool)).map(listed),
      };
    },

    async get(
      name: string,
      given: Record<string, unknown> | undefined,
      context: McpRequestContext & { signal?: AbortSignal },
    ): Promise<GetPromptResult> {
      const prompt = prompts.find(p => p.name === name);
      const outcome = await runGoverned(
        {
          eventId: 'prompt-get',
          // Unknown names stay out of metric attributes: their values would be unbounded.
          operation: {
            method: 'prompts/get',
            ...(prompt ? { promptName: prompt.name } : {}),
          },
          action: `use the prompt ${truncate(name, 100)}`,
          subject: `prompt ${truncate(name, 100)}`,
          meta: {
            prompt: truncate(name, 100),
            arguments: summarizeToolArguments(given ?? {}, []),
          },
          gate: access =>
            !prompt || mayUse(prompt, toolNamesAllowed(tools, access))
              ? undefined
              : 'policy',
          policyMessage: `you may not use the prompt ${name}: it needs ${prompt?.essentialTools.join(
            ' or ',
          )}, which the permission policy or your token's access restrictions do not allow. Call prompts/list to see the prompts you may use`,
          validate: () => {
            if (!prompt) {
              throw new NotFoundError(
                `There is no prompt "${truncate(
                  name,
                  100,
                )}". Call prompts/list to see the prompts you may use`,
              );
            }
            return { prompt, args: validArguments(prompt, given ?? {}) };
          },
          run: async ({ prompt: p, args }) =>
            p.get(
              args,
              promptContext(context, await toolNameAccess(tools, context)),
            ),
        },
        context,
      );
      if (!outcome.ok) throw toProtocolError(outcome);
      return outcome.value;
    },
  };
}

/** The prompt handlers, see {@link createPromptHandlers}. */
export type PromptHandlers = ReturnType<typeof createPromptHandlers>;
