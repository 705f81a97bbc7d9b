import { inputRequired } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { fixtureTool, renderText, textOutput } from './fixtureTool';
import { elicited, gather, rootUris, sampledText } from './inputRequests';

const noInput = z.object({});
const askName = (message: string) =>
  inputRequired.elicit({
    message,
    requestedSchema: {
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name'],
    },
  });
const ask = (text: string, maxTokens: number) =>
  inputRequired.createMessage({
    messages: [{ role: 'user', content: { type: 'text', text } }],
    maxTokens,
  });
const show = (value: unknown) =>
  typeof value === 'string' ? value : JSON.stringify(value);

/** The fixed state of the request-state fixture: what it expects back. */
const ROUND_ONE_STATE = 'conformance-request-state:round-1';

/**
 * Tools that ask the client for input in several rounds (2026-07-28
 * input-required results; conformance: input-required-result-*).
 */
/** Asks for a confirmation with a request state; a state other than the one sent starts over. */
function confirmationTool(name: string, description: string) {
  return fixtureTool({
    name,
    description,
    inputSchema: noInput,
    outputSchema: textOutput,
    async handle(_input, { interaction }) {
      const confirm = inputRequired.elicit({
        message: 'Please confirm',
        requestedSchema: {
          type: 'object',
          properties: { ok: { type: 'boolean' } },
          required: ['ok'],
        },
      });
      const fresh = interaction.requestState !== ROUND_ONE_STATE;
      const round = gather(
        fresh ? { ...interaction, inputResponses: {} } : interaction,
        { confirm },
        ROUND_ONE_STATE,
      );
      if ('ask' in round) return round.ask;
      return {
        text: `state-ok: confirmed ${show(elicited(round.answers.confirm))}`,
      };
    },
    renderContent: renderText,
  });
}

export function createInputRequiredTools() {
  return [
    fixtureTool({
      name: 'test_input_required_result_elicitation',
      description: 'Asks for a name, then greets (conformance fixture).',
      inputSchema: noInput,
      outputSchema: textOutput,
      async handle(_input, { interaction }) {
        const round = gather(interaction, {
          user_name: askName('What is your name?'),
        });
        if ('ask' in round) return round.ask;
        const content = elicited(round.answers.user_name);
        return {
          text:
            typeof content === 'string'
              ? `No name: ${content}`
              : `Hello, ${show(content.name)}!`,
        };
      },
      renderContent: renderText,
    }),
    fixtureTool({
      name: 'test_input_required_result_sampling',
      description:
        "Asks the client's model a question, then returns its answer (conformance fixture).",
      inputSchema: noInput,
      outputSchema: textOutput,
      async handle(_input, { interaction }) {
        const round = gather(interaction, {
          capital_question: ask('What is the capital of France?', 100),
        });
        if ('ask' in round) return round.ask;
        return {
          text: `The model answered: ${sampledText(
            round.answers.capital_question,
          )}`,
        };
      },
      renderContent: renderText,
    }),
    fixtureTool({
      name: 'test_input_required_result_list_roots',
      description:
        "Asks for the client's roots, then lists them (conformance fixture).",
      inputSchema: noInput,
      outputSchema: textOutput,
      async handle(_input, { interaction }) {
        const round = gather(interaction, {
          client_roots: inputRequired.listRoots(),
        });
        if ('ask' in round) return round.ask;
        return {
          text: `Client roots: ${rootUris(round.answers.client_roots).join(
            ', ',
          )}`,
        };
      },
      renderContent: renderText,
    }),
    confirmationTool(
      'test_input_required_result_request_state',
      'Asks for a confirmation with a request state, then checks the state came back (conformance fixture).',
    ),
    // The plugin seals request states: a changed one is refused before the tool runs.
    confirmationTool(
      'test_input_required_result_tampered_state',
      'Asks for a confirmation with a request state, which the plugin seals (conformance fixture).',
    ),
    fixtureTool({
      name: 'test_input_required_result_multiple_inputs',
      description:
        'Asks for a name, a greeting from the model and the roots at once (conformance fixture).',
      inputSchema: noInput,
      outputSchema: textOutput,
      async handle(_input, { interaction }) {
        const round = gather(
          interaction,
          {
            user_name: askName('What is your name?'),
            greeting: ask('Generate a greeting', 50),
            client_roots: inputRequired.listRoots(),
          },
          'conformance-multiple-inputs',
        );
        if ('ask' in round) return round.ask;
        const {
          user_name: name,
          greeting,
          client_roots: roots,
        } = round.answers;
        return {
          text: `Name: ${show(elicited(name))}; greeting: ${sampledText(
            greeting,
          )}; roots: ${rootUris(roots).join(', ')}`,
        };
      },
      renderContent: renderText,
    }),
    fixtureTool({
      name: 'test_input_required_result_multi_round',
      description:
        'Asks for a name, then a colour, in two rounds (conformance fixture).',
      inputSchema: noInput,
      outputSchema: textOutput,
      async handle(_input, { interaction }) {
        const state = interaction.requestState ?? '';
        if (state.startsWith('round-2:')) {
          const round = gather(
            interaction,
            {
              step2: inputRequired.elicit({
                message: 'Step 2: What is your favorite color?',
                requestedSchema: {
                  type: 'object',
                  properties: { color: { type: 'string' } },
                  required: ['color'],
                },
              }),
            },
            state,
          );
          if ('ask' in round) return round.ask;
          return {
            text: `Name: ${state.slice('round-2:'.length)}; colour: ${show(
              elicited(round.answers.step2),
            )}`,
          };
        }
        const first = gather(
          state === 'round-1'
            ? interaction
            : { ...interaction, inputResponses: {} },
          { step1: askName('Step 1: What is your name?') },
          'round-1',
        );
        if ('ask' in first) return first.ask;
        const name = elicited(first.answers.step1);
        return inputRequired({
          inputRequests: {
            step2: inputRequired.elicit({
              message: 'Step 2: What is your favorite color?',
              requestedSchema: {
                type: 'object',
                properties: { color: { type: 'string' } },
                required: ['color'],
              },
            }),
          },
          requestState: `round-2:${
            typeof name === 'string' ? name : show(name.name)
          }`,
        });
      },
      renderContent: renderText,
    }),
    fixtureTool({
      name: 'test_missing_capability',
      description:
        "Always asks the client's model, so needs the sampling capability (conformance fixture).",
      inputSchema: noInput,
      outputSchema: textOutput,
      async handle(_input, { interaction }) {
        const round = gather(interaction, {
          greeting: ask('Generate a greeting', 50),
        });
        if ('ask' in round) return round.ask;
        return {
          text: `The model answered: ${sampledText(round.answers.greeting)}`,
        };
      },
      renderContent: renderText,
    }),
    fixtureTool({
      name: 'test_streaming_elicitation',
      description:
        'Reports progress, then asks for a name on the same response (conformance fixture).',
      inputSchema: noInput,
      outputSchema: textOutput,
      async handle(_input, { interaction }) {
        await interaction.reportProgress({
          progress: 1,
          total: 2,
          message: 'asking',
        });
        const round = gather(interaction, {
          user_name: askName('What is your name?'),
        });
        if ('ask' in round) return round.ask;
        return { text: `Hello, ${show(elicited(round.answers.user_name))}` };
      },
      renderContent: renderText,
    }),
    fixtureTool({
      name: 'test_input_required_result_capabilities',
      description:
        'Asks only for the kinds of input the client declared it answers (conformance fixture).',
      inputSchema: noInput,
      outputSchema: textOutput,
      async handle(_input, { interaction }) {
        const requests = {
          ...(interaction.elicitation.form
            ? { user_name: askName('What is your name?') }
            : {}),
          ...(interaction.sampling
            ? { greeting: ask('Generate a greeting', 50) }
            : {}),
          ...(interaction.roots
            ? { client_roots: inputRequired.listRoots() }
            : {}),
        };
        if (Object.keys(requests).length === 0)
          return {
            text: 'The client answers no input requests: nothing asked.',
          };
        const round = gather(interaction, requests);
        if ('ask' in round) return round.ask;
        return { text: `Answered: ${Object.keys(round.answers).join(', ')}` };
      },
      renderContent: renderText,
    }),
  ];
}
