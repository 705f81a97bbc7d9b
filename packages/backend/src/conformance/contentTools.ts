import { z } from 'zod';
import { fixtureTool, renderText, textOutput } from './fixtureTool';
import { RED_PIXEL_PNG, silentWav } from './media';

const noInput = z.object({});
const media = z.object({
  mimeType: z.string(),
  data: z.string().describe('Base64'),
});
const textResource = z.object({
  uri: z.string(),
  mimeType: z.string(),
  text: z.string(),
});

/** Tools whose results are content blocks of each kind (conformance: tools-call-*). */
export function createContentTools() {
  return [
    fixtureTool({
      name: 'test_simple_text',
      description: 'Returns one text block (conformance fixture).',
      inputSchema: noInput,
      outputSchema: textOutput,
      handle: async () => ({
        text: 'This is a simple text response for testing.',
      }),
      renderContent: renderText,
    }),
    fixtureTool({
      name: 'test_image_content',
      description: 'Returns one image block, a 1×1 PNG (conformance fixture).',
      inputSchema: noInput,
      outputSchema: media,
      handle: async () => ({ mimeType: 'image/png', data: RED_PIXEL_PNG }),
      renderContent: ({ mimeType, data }) => [
        { type: 'image', mimeType, data },
      ],
    }),
    fixtureTool({
      name: 'test_audio_content',
      description:
        'Returns one audio block, a short silent WAV (conformance fixture).',
      inputSchema: noInput,
      outputSchema: media,
      handle: async () => ({ mimeType: 'audio/wav', data: silentWav() }),
      renderContent: ({ mimeType, data }) => [
        { type: 'audio', mimeType, data },
      ],
    }),
    fixtureTool({
      name: 'test_embedded_resource',
      description: 'Returns one embedded text resource (conformance fixture).',
      inputSchema: noInput,
      outputSchema: textResource,
      handle: async () => ({
        uri: 'test://embedded-resource',
        mimeType: 'text/plain',
        text: 'This is an embedded resource content.',
      }),
      renderContent: resource => [{ type: 'resource', resource }],
    }),
    fixtureTool({
      name: 'test_multiple_content_types',
      description:
        'Returns a text, an image and an embedded resource block (conformance fixture).',
      inputSchema: noInput,
      outputSchema: z.object({
        text: z.string(),
        image: media,
        resource: textResource,
      }),
      handle: async () => ({
        text: 'Multiple content types test:',
        image: { mimeType: 'image/png', data: RED_PIXEL_PNG },
        resource: {
          uri: 'test://mixed-content-resource',
          mimeType: 'application/json',
          text: JSON.stringify({ test: 'data', value: 123 }),
        },
      }),
      renderContent: ({ text, image, resource }) => [
        { type: 'text', text },
        { type: 'image', ...image },
        { type: 'resource', resource },
      ],
    }),
  ];
}
