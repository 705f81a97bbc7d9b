import { NotAllowedError } from '@backstage/errors';
import {
  ListResourcesResult,
  ListResourceTemplatesResult,
  ReadResourceResult,
} from '@modelcontextprotocol/server';
import { RedactionConfig, redactionRulesFor } from '../config/redactionConfig';
import { RedactedResult, redactResult } from '../redaction/redactResult';
import { ResourceRegistry } from '../resources/resourceRegistry';
import { ResourceBlob, ResourceText } from '../resources/types';
import { truncate } from '../tools/shared/entityRefs';
import { toolNameAccess, toolNamesAllowed } from './callerAccess';
import { GovernedRunner } from './governedRunner';
import { toProtocolError } from './protocolErrors';
import { McpRequestContext } from './requestContext';
import { stripInvisible } from './textHygiene';
import { ToolInventory } from './toolInventory';

/**
 * Field restrictions on resource contents: JSON resources (entities) are
 * restricted like tool results; other formats (Markdown docs, binary
 * contents) have no fields to restrict.
 */
function restrictContents(
  contents: ResourceText | ResourceBlob,
  restrict: (json: unknown) => RedactedResult<unknown>,
): RedactedResult<ResourceText | ResourceBlob> {
  if (contents.mimeType !== 'application/json' || !('text' in contents))
    return { value: contents, paths: [] };
  const { value, paths } = restrict(JSON.parse(contents.text));
  return { value: { ...contents, text: JSON.stringify(value) }, paths };
}

/**
 * resources/list, resources/templates/list and resources/read for one
 * caller: templates the caller may not use are left out of the lists and
 * refused on read. Listing and reading go through the governed runner.
 */
export function createResourceHandlers(deps: {
  tools: ToolInventory;
  resources: ResourceRegistry;
  runGoverned: GovernedRunner;
  redaction: RedactionConfig;
}) {
  const { tools, resources, runGoverned, redaction } = deps;

  async function allowedTemplates(context: McpRequestContext) {
    return resources.templates(await toolNameAccess(tools, context));
  }

  /**
   * Reads a resource for the caller inside another governed request (a
   * prompt embeds resources): gated and cleaned, without an audit event of
   * its own.
   */
  async function readAsCaller(
    uri: string,
    context: McpRequestContext,
  ): Promise<ResourceText | ResourceBlob> {
    const { template, variables } = resources.resolve(uri);
    if (!(await allowedTemplates(context)).includes(template)) {
      throw new NotAllowedError(`You may not read ${template.name} resources`);
    }
    const contents = await template.read(
      { uri, variables },
      { credentials: context.credentials },
    );
    const rules = redactionRulesFor(redaction, context.caller);
    const visible =
      'text' in contents
        ? { ...contents, text: stripInvisible(contents.text).value }
        : contents;
    return restrictContents(visible, json => redactResult(json, rules)).value;
  }

  return {
    readAsCaller,

    async listTemplates(
      context: McpRequestContext,
    ): Promise<ListResourceTemplatesResult> {
      return {
        resourceTemplates: (await allowedTemplates(context)).map(t =>
          resources.listed(t),
        ),
      };
    },

    async list(
      cursor: string | undefined,
      context: McpRequestContext & { signal?: AbortSignal },
    ): Promise<ListResourcesResult> {
      const outcome = await runGoverned(
        {
          eventId: 'resource-list',
          operation: { method: 'resources/list' },
          action: 'list resources',
          subject: 'resource listing',
          meta: { cursor: cursor === undefined ? null : truncate(cursor, 200) },
          validate: () => cursor,
          run: async at => {
            const templates = resources.templates(
              await toolNameAccess(tools, context),
            );
            return resources.list(templates, at, {
              credentials: context.credentials,
            });
          },
        },
        context,
      );
      if (!outcome.ok) throw toProtocolError(outcome);
      return outcome.value;
    },

    async read(
      uri: string,
      context: McpRequestContext & { signal?: AbortSignal },
    ): Promise<ReadResourceResult> {
      let resolved: ReturnType<ResourceRegistry['resolve']> | undefined;
      let badUri: Error | undefined;
      try {
        resolved = resources.resolve(uri);
      } catch (error) {
        badUri = error as Error;
      }
      const template = resolved?.template;
      const outcome = await runGoverned(
        {
          eventId: 'resource-read',
          operation: {
            method: 'resources/read',
            resourceUri: truncate(uri, 500),
          },
          action: `read ${template?.name} resources`,
          subject: `resource ${truncate(uri, 200)}`,
          meta: { uri: truncate(uri, 500), template: template?.name ?? null },
          gate: access =>
            !template ||
            toolNamesAllowed(tools, access)(template.sharesPermissionOf)
              ? undefined
              : 'policy',
          policyMessage: `you may not read ${template?.name} resources: the permission policy or your token's access restrictions do not allow ${template?.sharesPermissionOf}. Call resources/templates/list to see the resources you may read`,
          validate: () => {
            if (!resolved) throw badUri;
            return resolved;
          },
          waitsMs: ({ template: t }) => t.waitsMs?.() ?? 0,
          run: ({ template: t, variables }) =>
            t.read({ uri, variables }, { credentials: context.credentials }),
          restrictFields: restrictContents,
        },
        context,
      );
      if (!outcome.ok) throw toProtocolError(outcome, uri);
      return { contents: [outcome.value] };
    },
  };
}

/** The resource handlers, see {@link createResourceHandlers}. */
export type ResourceHandlers = ReturnType<typeof createResourceHandlers>;
