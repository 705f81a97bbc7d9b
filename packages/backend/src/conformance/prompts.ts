import { McpPrompt } from '@backstage-mcp/plugin-mcp-node';
import { RED_PIXEL_PNG } from './media';

const essentialTools = ['test_simple_text'];

/** The prompts the suite gets (conformance: prompts-*). */
export function createConformancePrompts(): McpPrompt[] {
  return [
    {
      name: 'test_simple_prompt',
      title: 'test_simple_prompt',
      description: 'A prompt without arguments (conformance fixture).',
      arguments: [],
      essentialTools,
      get: async () => ({
        messages: [
          {
            role: 'user',
            content: {
              type: 'text',
              text: 'This is a simple prompt for testing.',
            },
          },
        ],
      }),
    },
    {
      name: 'test_prompt_with_arguments',
      title: 'test_prompt_with_arguments',
      description: 'A prompt with two arguments (conformance fixture).',
      arguments: [
        { name: 'arg1', description: 'First test argument', required: true },
        { name: 'arg2', description: 'Second test argument', required: true },
      ],
      essentialTools,
      get: async ({ arg1, arg2 }) => ({
        messages: [
          {
            role: 'user',
            content: {
              type: 'text',
              text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`,
            },
          },
        ],
      }),
    },
    {
      name: 'test_prompt_with_embedded_resource',
      title: 'test_prompt_with_embedded_resource',
      description: 'A prompt that embeds a resource (conformance fixture).',
      arguments: [
        {
          name: 'resourceUri',
          description: 'URI of the resource to embed',
          required: true,
        },
      ],
      essentialTools,
      get: async ({ resourceUri }) => ({
        messages: [
          {
            role: 'user',
            content: {
              type: 'resource',
              resource: {
                uri: resourceUri!,
                mimeType: 'text/plain',
                text: 'Embedded resource content for testing.',
              },
            },
          },
          {
            role: 'user',
            content: {
              type: 'text',
              text: 'Please process the embedded resource above.',
            },
          },
        ],
      }),
    },
    {
      name: 'test_prompt_with_image',
      title: 'test_prompt_with_image',
      description: 'A prompt with an image (conformance fixture).',
      arguments: [],
      essentialTools,
      get: async () => ({
        messages: [
          {
            role: 'user',
            content: {
              type: 'image',
              data: RED_PIXEL_PNG,
              mimeType: 'image/png',
            },
          },
          {
            role: 'user',
            content: { type: 'text', text: 'Please analyze the image above.' },
          },
        ],
      }),
    },
  ];
}
