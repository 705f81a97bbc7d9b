import { InputError } from '@backstage/errors';
import { selectAsyncApi } from './asyncapiSelection';
import {
  JsonObject,
  parseDefinition,
  serializeDefinition,
} from './documentTree';
import { selectOpenApi } from './openapiSelection';
import { asyncApiOutline, capOutline, openApiOutline } from './outline';
import { graphqlOutline, protoOutline } from './textOutline';

/** The definition formats api_get_spec serves. */
export const SPEC_FORMATS = ['original', 'yaml', 'json'] as const;
export type SpecFormat = (typeof SPEC_FORMATS)[number];

/** Parts of a definition an agent asked for. */
export interface SpecSelectionInput {
  paths?: string[];
  operations?: string[];
  channels?: string[];
}

/** What a selection kept, as reported back to the agent. */
export interface SpecSelection {
  paths?: string[];
  operations?: string[];
  channels?: string[];
  unmatched?: string[];
}

type Family = 'openapi' | 'asyncapi' | 'graphql' | 'grpc';

const FAMILIES: Record<string, Family> = {
  openapi: 'openapi',
  swagger: 'openapi',
  asyncapi: 'asyncapi',
  graphql: 'graphql',
  grpc: 'grpc',
};

/** How an agent can ask for less of a definition of this type, if it can. */
export function selectHint(type: string): string | undefined {
  const family = FAMILIES[type.toLocaleLowerCase('en-US')];
  if (family === 'openapi') {
    return 'To read only part of it, pass paths (e.g. ["/orders"], matching by prefix) or operations (e.g. ["GET /orders/{id}"]) taken from the outline.';
  }
  if (family === 'asyncapi') {
    return 'To read only part of it, pass channels (e.g. ["orders."], matching by prefix) taken from the outline.';
  }
  return undefined;
}

/** Rejects what this type of definition cannot do; true when selecting. */
function checkRequest(
  ref: string,
  type: string,
  family: Family | undefined,
  input: SpecSelectionInput,
  format: SpecFormat,
) {
  const openApiSelectors = Boolean(
    input.paths?.length || input.operations?.length,
  );
  const channels = Boolean(input.channels?.length);
  if (
    (openApiSelectors || channels) &&
    family !== 'openapi' &&
    family !== 'asyncapi'
  ) {
    throw new InputError(
      `paths, operations and channels select parts of OpenAPI and AsyncAPI definitions only; ${ref} is a "${type}" API. ` +
        'Call api_get_spec without them, and read a long definition in pieces with offset=next_offset',
    );
  }
  if (family === 'openapi' && channels) {
    throw new InputError(
      `channels selects AsyncAPI channels; ${ref} is an OpenAPI API: select with paths (e.g. ["/orders"]) or operations (e.g. ["GET /orders/{id}"]) instead`,
    );
  }
  if (family === 'asyncapi' && openApiSelectors) {
    throw new InputError(
      `paths and operations select OpenAPI parts; ${ref} is an AsyncAPI API: select with channels (e.g. ["orders."]) instead`,
    );
  }
  if (format !== 'original' && family !== 'openapi' && family !== 'asyncapi') {
    throw new InputError(
      `format "${format}" converts OpenAPI and AsyncAPI definitions only; the "${type}" definition of ${ref} is served as stored: omit format`,
    );
  }
  return openApiSelectors || channels;
}

/** The text to serve for one request, with what was selected. */
export interface PreparedDefinition {
  text: string;
  format: SpecFormat;
  selection?: SpecSelection;
  outline?: string[];
}

/**
 * Turns a stored definition into the text an agent asked for: as stored, or
 * converted, or cut down to a selection (YAML unless JSON is asked for). An
 * unselected OpenAPI or AsyncAPI definition comes with an outline to select from.
 */
export function prepareDefinition(options: {
  ref: string;
  type: string;
  definition: string;
  selection: SpecSelectionInput;
  format: SpecFormat;
}): PreparedDefinition {
  const { ref, type, definition, selection, format } = options;
  const family = FAMILIES[type.toLocaleLowerCase('en-US')];
  const selecting = checkRequest(ref, type, family, selection, format);

  if (selecting) {
    const document = parseDefinition(definition, ref);
    const selected =
      family === 'openapi'
        ? selectOpenApi(document, selection)
        : selectAsyncApi(document, { channels: selection.channels ?? [] });
    const outputFormat = format === 'json' ? 'json' : 'yaml';
    return {
      text: serializeDefinition(selected.document, outputFormat),
      format: outputFormat,
      selection: selected.selection,
    };
  }

  let document: JsonObject | undefined;
  if (format !== 'original') document = parseDefinition(definition, ref);
  return {
    text:
      document && format !== 'original'
        ? serializeDefinition(document, format)
        : definition,
    format,
    outline: outlineOf(family, definition, document, type),
  };
}

function outlineOf(
  family: Family | undefined,
  definition: string,
  parsed: JsonObject | undefined,
  type: string,
): string[] | undefined {
  let lines: string[] | undefined;
  if (family === 'graphql') lines = graphqlOutline(definition);
  else if (family === 'grpc') lines = protoOutline(definition);
  else if (family === 'openapi' || family === 'asyncapi') {
    let document = parsed;
    try {
      document ??= parseDefinition(definition, '');
    } catch {
      // The text is still served as stored; only the outline is lost.
      return undefined;
    }
    lines =
      family === 'openapi'
        ? openApiOutline(document)
        : asyncApiOutline(document);
  }
  if (!lines?.length) return undefined;
  return capOutline(
    lines,
    selectHint(type) ??
      'read the definition in pieces with offset=next_offset to see the rest',
  );
}
