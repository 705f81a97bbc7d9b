import { BackstageCredentials } from '@backstage/backend-plugin-api';

/**
 * One resource as `resources/list` shows it.
 *
 * @public
 */
export interface ListedResource {
  uri: string;
  /** A programmatic name, e.g. the entity ref. */
  name: string;
  title?: string;
  description?: string;
  mimeType: string;
}

/**
 * The contents of one read resource, as `resources/read` returns them.
 *
 * @public
 */
export interface ResourceText {
  uri: string;
  mimeType: string;
  text: string;
}

/**
 * The contents of one read binary resource (an image, a PDF), base64 in
 * `blob`.
 *
 * @public
 */
export interface ResourceBlob {
  uri: string;
  mimeType: string;
  blob: string;
}

/**
 * A page of listed resources; `nextCursor` is the template's own cursor.
 *
 * @public
 */
export interface ResourcePage {
  resources: ListedResource[];
  nextCursor?: string;
}

/**
 * Completion values for one template variable or prompt argument.
 *
 * @public
 */
export interface CompletionValues {
  /** At most 100 values, best first. */
  values: string[];
  /** How many values match in all, when known. */
  total?: number;
  hasMore: boolean;
}

/**
 * What a resource handler gets for one request.
 *
 * @public
 */
export interface ResourceRequestContext {
  /** The caller's credentials: pass them on to every service call. */
  credentials: BackstageCredentials;
}

/**
 * A resource template: its public definition as data, plus handlers that
 * receive their services when the template is created and the caller's
 * context on every request. Add a template by adding one file that returns
 * this, and listing it in `createResourceTemplates`.
 *
 * @public
 */
export interface McpResourceTemplate {
  /** RFC 6570 template, e.g. `backstage://entity/{kind}/{namespace}/{name}`. */
  uriTemplate: string;
  /** snake_case; public API. */
  name: string;
  title: string;
  /** Written for an agent meeting the resource for the first time. */
  description: string;
  mimeType: string;
  /**
   * The tool whose permission the resource shares: a caller who may not use
   * that tool neither sees nor reads these resources.
   */
  sharesPermissionOf: string;
  /**
   * Time a read may take on purpose (a docs build) beyond mcp.callTimeout,
   * as the tool it shares its permission with waits.
   */
  waitsMs?(): number;
  /** Reads one resource; `variables` are the URI's matched template variables. */
  read(
    request: { uri: string; variables: Record<string, string> },
    context: ResourceRequestContext,
  ): Promise<ResourceText | ResourceBlob>;
  /** One page of the resources worth listing; absent when none are. */
  list?(
    request: { cursor?: string; limit: number },
    context: ResourceRequestContext,
  ): Promise<ResourcePage>;
  /** Values for one template variable, given the variables already chosen. */
  complete?(
    request: {
      variable: string;
      value: string;
      chosen: Record<string, string>;
    },
    context: ResourceRequestContext,
  ): Promise<CompletionValues>;
}
