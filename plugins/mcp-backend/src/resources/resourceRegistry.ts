import { InputError, NotFoundError } from '@backstage/errors';
import { UriTemplate } from '@modelcontextprotocol/server';
import { truncate } from '../tools/shared/entityRefs';
import {
  McpResourceTemplate,
  ResourcePage,
  ResourceRequestContext,
} from './types';

/** A resource template as `resources/templates/list` shows it. */
export interface ListedResourceTemplate {
  uriTemplate: string;
  name: string;
  title: string;
  description: string;
  mimeType: string;
}

interface RegisteredTemplate {
  template: McpResourceTemplate;
  uri: UriTemplate;
  listed: ListedResourceTemplate;
}

/** Where `resources/list` continues: which template, and its own cursor. */
interface ListPosition {
  template: string;
  cursor?: string;
}

function encodeCursor(position: ListPosition) {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

function badCursor() {
  return new InputError(
    'The cursor is not one this server returned. Pass nextCursor from the previous resources/list answer unchanged, or omit it to start over',
  );
}

function decodeCursor(cursor: string): ListPosition {
  try {
    const position = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    );
    if (typeof position?.template === 'string') return position;
  } catch {
    // reported below
  }
  throw badCursor();
}

/**
 * The resource templates this server serves, prepared at startup: matches
 * URIs to templates and pages `resources/list` across every template that
 * lists its resources, with an opaque cursor over each template's own.
 */
export class ResourceRegistry {
  readonly #templates: readonly RegisteredTemplate[];

  constructor(
    templates: McpResourceTemplate[],
    private readonly pageSize: number,
  ) {
    const names = new Set<string>();
    this.#templates = templates.map(template => {
      if (names.has(template.name)) {
        throw new Error(
          `Resource template "${template.name}" is defined twice`,
        );
      }
      names.add(template.name);
      const { uriTemplate, name, title, description, mimeType } = template;
      return {
        template,
        uri: new UriTemplate(uriTemplate),
        listed: { uriTemplate, name, title, description, mimeType },
      };
    });
  }

  /** The templates a caller may use, given the tools they may use. */
  templates(mayUseTool: (name: string) => boolean): McpResourceTemplate[] {
    return this.#templates
      .map(t => t.template)
      .filter(t => mayUseTool(t.sharesPermissionOf));
  }

  /** The listed form of a template. */
  listed(template: McpResourceTemplate): ListedResourceTemplate {
    return this.#templates.find(t => t.template === template)!.listed;
  }

  /** The template named by its URI template string, as completion refs name it. */
  byUriTemplate(uriTemplate: string): McpResourceTemplate | undefined {
    return this.#templates.find(t => t.template.uriTemplate === uriTemplate)
      ?.template;
  }

  /** The template a URI belongs to, with its variables. */
  resolve(uri: string): {
    template: McpResourceTemplate;
    variables: Record<string, string>;
  } {
    for (const { template, uri: pattern } of this.#templates) {
      const variables = uri.length <= 2000 ? pattern.match(uri) : null;
      if (variables) {
        const single = Object.fromEntries(
          Object.entries(variables).map(([key, value]) => [
            key,
            Array.isArray(value) ? value.join(',') : value,
          ]),
        );
        return { template, variables: single };
      }
    }
    // Not found, not bad input: clients are told which URI (SEP-2164).
    throw new NotFoundError(
      `"${truncate(
        uri,
        200,
      )}" is not a resource URI of this server. Call resources/templates/list for the URI formats, e.g. ${
        this.#templates[0]?.template.uriTemplate
      }`,
    );
  }

  /** One page of `resources/list` over the given templates. */
  async list(
    templates: McpResourceTemplate[],
    cursor: string | undefined,
    context: ResourceRequestContext,
  ): Promise<{ resources: ResourcePage['resources']; nextCursor?: string }> {
    const listing = templates.filter(t => t.list);
    const position = cursor
      ? decodeCursor(cursor)
      : { template: listing[0]?.name };
    const index = listing.findIndex(t => t.name === position.template);
    if (index < 0) {
      // A cursor of a template the caller may no longer use is stale.
      if (cursor) throw badCursor();
      return { resources: [] };
    }
    const page = await listing[index].list!(
      { cursor: position.cursor, limit: this.pageSize },
      context,
    );
    const next: ListPosition | undefined = page.nextCursor
      ? { template: listing[index].name, cursor: page.nextCursor }
      : listing[index + 1] && { template: listing[index + 1].name };
    return {
      resources: page.resources,
      ...(next ? { nextCursor: encodeCursor(next) } : {}),
    };
  }
}
