import { LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  ListResourcesResult,
  ListResourceTemplatesResult,
  ProtocolError,
  ProtocolErrorCode,
  ReadResourceResult,
  ResourceNotFoundError,
} from '@modelcontextprotocol/server';
import { ResourceRegistry } from '../resources/resourceRegistry';
import { ResourceText } from '../resources/types';
import { truncate } from '../tools/shared/entityRefs';
import { randomUUID } from 'node:crypto';
import { AuditedRequestRunner } from './auditedRequest';
import { stripInvisible } from './textHygiene';
import { RedactionConfig, redactionRulesFor } from '../redaction/redactionConfig';
import { redactResult } from '../redaction/redactResult';
import { classifyToolError } from './errorBoundary';
import { toolNameAccess } from './callerAccess';
import { McpRequestContext } from './requestContext';
import { ToolCatalog } from './toolCatalog';

/**
 * resources/list, resources/templates/list and resources/read for one
 * caller: templates the caller may not use are left out of the lists and
 * refused on read; every read is audited as `resource-read`.
 */
export function createResourceHandlers(deps: {
  tools: ToolCatalog;
  resources: ResourceRegistry;
  runAudited: AuditedRequestRunner;
  logger: LoggerService;
  redaction: RedactionConfig;
}) {
  const { tools, resources, runAudited, logger, redaction } = deps;

  /**
   * What every read passes before it reaches the model, as tool results do:
   * docs and descriptions others wrote lose hidden characters, and JSON
   * resources (entities) lose the fields restricted for the caller. Other
   * formats (Markdown docs) have no fields to restrict.
   */
  function clean(contents: ResourceText, context: McpRequestContext) {
    const text = stripInvisible(contents.text).value;
    if (contents.mimeType !== 'application/json') return { contents: { ...contents, text }, paths: [] };
    const { value, paths } = redactResult(
      JSON.parse(text),
      redactionRulesFor(redaction, context.credentials),
    );
    return { contents: { ...contents, text: JSON.stringify(value) }, paths };
  }

  async function allowedTemplates(context: McpRequestContext) {
    const { mayUseTool } = await toolNameAccess(tools, context);
    return resources.templates(mayUseTool);
  }

  /** Reads a resource for the caller without an audit event of its own (prompts embed resources). */
  async function readAsCaller(uri: string, context: McpRequestContext): Promise<ResourceText> {
    const { template, variables } = resources.resolve(uri);
    if (!(await allowedTemplates(context)).includes(template)) {
      throw new NotAllowedError(`You may not read ${template.name} resources`);
    }
    const contents = await template.read({ uri, variables }, { credentials: context.downstreamCredentials });
    return clean(contents, context).contents;
  }

  return {
    readAsCaller,

    async listTemplates(context: McpRequestContext): Promise<ListResourceTemplatesResult> {
      return {
        resourceTemplates: (await allowedTemplates(context)).map(t => resources.listed(t)),
      };
    },

    async list(cursor: string | undefined, context: McpRequestContext): Promise<ListResourcesResult> {
      const templates = await allowedTemplates(context);
      try {
        return await resources.list(templates, cursor, { credentials: context.downstreamCredentials });
      } catch (error) {
        const failure = classifyToolError(error, {
          logger,
          toolName: 'resources/list',
          subject: 'resource listing',
          reference: randomUUID(),
        });
        throw new ProtocolError(
          failure.kind === 'caller-error' ? ProtocolErrorCode.InvalidParams : ProtocolErrorCode.InternalError,
          failure.message,
        );
      }
    },

    async read(uri: string, context: McpRequestContext): Promise<ReadResourceResult> {
      const { mayUseTool, policyResult } = await toolNameAccess(tools, context);
      let resolved: ReturnType<ResourceRegistry['resolve']> | undefined;
      let badUri: Error | undefined;
      try {
        resolved = resources.resolve(uri);
      } catch (error) {
        badUri = error as Error;
      }
      const template = resolved?.template;
      let fieldsRedacted: string[] = [];
      return runAudited(
        {
          eventId: 'resource-read',
          subject: `resource ${truncate(uri, 200)}`,
          meta: { uri: truncate(uri, 500), template: template?.name ?? null, policyResult },
          allowed: !template || mayUseTool(template.sharesPermissionOf),
          denialMessage: `you may not read ${template?.name} resources: the permission policy or your token's access restrictions do not allow ${template?.sharesPermissionOf}. Call resources/templates/list to see the resources you may read`,
          run: async () => {
            if (!resolved) throw badUri;
            const contents = await resolved.template.read(
              { uri, variables: resolved.variables },
              { credentials: context.downstreamCredentials },
            );
            const cleaned = clean(contents, context);
            fieldsRedacted = cleaned.paths;
            return { contents: [cleaned.contents] };
          },
          successMeta: () => (fieldsRedacted.length ? { fieldsRedacted } : {}),
          toProtocolError: failure =>
            failure.name === 'NotFoundError'
              ? new ResourceNotFoundError(uri, failure.message)
              : new ProtocolError(ProtocolErrorCode.InvalidParams, failure.message),
        },
        context,
      );
    },
  };
}

/** The resource handlers, see {@link createResourceHandlers}. */
export type ResourceHandlers = ReturnType<typeof createResourceHandlers>;
