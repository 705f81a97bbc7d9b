import { McpResourceTemplate } from '@backstage-mcp/plugin-mcp-node';
import { RED_PIXEL_PNG } from './media';

/** Who may read the fixtures: whoever may call the conformance tools. */
const SHARES_PERMISSION_OF = 'test_simple_text';

/** A resource of one fixed URI, listed by `resources/list`. */
function staticResource(
  uri: string,
  name: string,
  description: string,
  contents: { mimeType: string } & ({ text: string } | { blob: string }),
): McpResourceTemplate {
  const listed = {
    uri,
    name,
    title: name,
    description,
    mimeType: contents.mimeType,
  };
  return {
    uriTemplate: uri,
    name,
    title: name,
    description,
    mimeType: contents.mimeType,
    sharesPermissionOf: SHARES_PERMISSION_OF,
    read: async () => ({ uri, ...contents }),
    list: async () => ({ resources: [listed] }),
  };
}

/** The resources the suite reads (conformance: resources-*). */
export function createConformanceResources(): McpResourceTemplate[] {
  return [
    staticResource(
      'test://static-text',
      'static_text',
      'A static text resource (conformance fixture).',
      {
        mimeType: 'text/plain',
        text: 'This is the content of the static text resource.',
      },
    ),
    staticResource(
      'test://static-binary',
      'static_binary',
      'A static binary resource, a 1×1 PNG (conformance fixture).',
      {
        mimeType: 'image/png',
        blob: RED_PIXEL_PNG,
      },
    ),
    {
      uriTemplate: 'test://template/{id}/data',
      name: 'template_data',
      title: 'template_data',
      description:
        'Data for an id, e.g. test://template/123/data (conformance fixture).',
      mimeType: 'application/json',
      sharesPermissionOf: SHARES_PERMISSION_OF,
      read: async ({ uri, variables }) => ({
        uri,
        mimeType: 'application/json',
        text: JSON.stringify({
          id: variables.id,
          templateTest: true,
          data: `Data for ID: ${variables.id}`,
        }),
      }),
    },
  ];
}
