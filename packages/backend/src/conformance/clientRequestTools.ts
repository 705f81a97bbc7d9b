import { inputRequired } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { fixtureTool, renderText, textOutput } from './fixtureTool';
import { gather, sampledText } from './inputRequests';

const noInput = z.object({});

/** The answer of an elicitation as the suite's fixtures word it. */
function elicitationText(prefix: string, answer: Record<string, unknown>) {
  return `${prefix}: action=${String(answer.action)}, content=${JSON.stringify(
    answer.content ?? {},
  )}`;
}

/**
 * The 2025-era tools that ask the client (sampling, elicitation) in the
 * middle of a call (conformance: tools-call-sampling, tools-call-elicitation,
 * elicitation-sep1034-defaults, elicitation-sep1330-enums). A stateless
 * server cannot send 2025-era requests to the client, so they ask the
 * 2026-07-28 way, with an input-required result, and tell 2025-era
 * clients why they cannot.
 */
export function createClientRequestTools() {
  return [
    fixtureTool({
      name: 'test_sampling',
      description:
        "Asks the client's model the given prompt and returns its answer (conformance fixture).",
      inputSchema: z.object({
        prompt: z.string().max(2000).describe('The prompt for the model'),
      }),
      outputSchema: textOutput,
      async handle({ prompt }, { interaction }) {
        const round = gather(interaction, {
          sampling: inputRequired.createMessage({
            messages: [
              { role: 'user', content: { type: 'text', text: prompt } },
            ],
            maxTokens: 100,
          }),
        });
        if ('ask' in round) return round.ask;
        return { text: `LLM response: ${sampledText(round.answers.sampling)}` };
      },
      renderContent: renderText,
    }),
    fixtureTool({
      name: 'test_elicitation',
      description:
        'Asks the user for a username and an email (conformance fixture).',
      inputSchema: z.object({
        message: z.string().max(2000).describe('The message to show the user'),
      }),
      outputSchema: textOutput,
      async handle({ message }, { interaction }) {
        const round = gather(interaction, {
          user: inputRequired.elicit({
            message,
            requestedSchema: {
              type: 'object',
              properties: {
                username: { type: 'string', description: "User's response" },
                email: { type: 'string', description: "User's email address" },
              },
              required: ['username', 'email'],
            },
          }),
        });
        if ('ask' in round) return round.ask;
        return { text: elicitationText('User response', round.answers.user) };
      },
      renderContent: renderText,
    }),
    fixtureTool({
      name: 'test_elicitation_sep1034_defaults',
      description:
        'Asks the user with a form whose fields have defaults (conformance fixture).',
      inputSchema: noInput,
      outputSchema: textOutput,
      async handle(_input, { interaction }) {
        const round = gather(interaction, {
          form: inputRequired.elicit({
            message: 'Please review and update the form fields with defaults',
            requestedSchema: {
              type: 'object',
              properties: {
                name: {
                  type: 'string',
                  description: 'User name',
                  default: 'John Doe',
                },
                age: { type: 'integer', description: 'User age', default: 30 },
                score: {
                  type: 'number',
                  description: 'User score',
                  default: 95.5,
                },
                status: {
                  type: 'string',
                  description: 'User status',
                  enum: ['active', 'inactive', 'pending'],
                  default: 'active',
                },
                verified: {
                  type: 'boolean',
                  description: 'Verification status',
                  default: true,
                },
              },
            },
          }),
        });
        if ('ask' in round) return round.ask;
        return {
          text: elicitationText('Elicitation completed', round.answers.form),
        };
      },
      renderContent: renderText,
    }),
    fixtureTool({
      name: 'test_elicitation_sep1330_enums',
      description:
        'Asks the user with a form of every enum variant (conformance fixture).',
      inputSchema: noInput,
      outputSchema: textOutput,
      async handle(_input, { interaction }) {
        const round = gather(interaction, {
          form: inputRequired.elicit({
            message: 'Please select options from the enum fields',
            requestedSchema: {
              type: 'object',
              properties: {
                untitledSingle: {
                  type: 'string',
                  enum: ['option1', 'option2', 'option3'],
                },
                titledSingle: {
                  type: 'string',
                  oneOf: [
                    { const: 'value1', title: 'First Option' },
                    { const: 'value2', title: 'Second Option' },
                    { const: 'value3', title: 'Third Option' },
                  ],
                },
                legacyEnum: {
                  type: 'string',
                  enum: ['opt1', 'opt2', 'opt3'],
                  enumNames: ['Option One', 'Option Two', 'Option Three'],
                },
                untitledMulti: {
                  type: 'array',
                  items: {
                    type: 'string',
                    enum: ['option1', 'option2', 'option3'],
                  },
                },
                titledMulti: {
                  type: 'array',
                  items: {
                    anyOf: [
                      { const: 'value1', title: 'First Choice' },
                      { const: 'value2', title: 'Second Choice' },
                      { const: 'value3', title: 'Third Choice' },
                    ],
                  },
                },
              },
            },
          }),
        });
        if ('ask' in round) return round.ask;
        return {
          text: elicitationText('Elicitation completed', round.answers.form),
        };
      },
      renderContent: renderText,
    }),
  ];
}
