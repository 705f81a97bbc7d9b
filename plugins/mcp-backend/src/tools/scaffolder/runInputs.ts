import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  acceptedContent,
  inputRequired,
  InputRequest,
  inputResponse,
} from '@modelcontextprotocol/server';
import { McpClientInteraction, McpToolCallContext } from '../types';
import { UnreadableSecretError } from './secretCipher';
import { describeEntrants, SecretEntrantsOf } from './secretEntrants';
import {
  SecretField,
  SecretRequest,
  SecretRequestClient,
  SecretRequestStore,
} from './secretRequests';
import { LoadedTemplate } from './templateSchema';
import { validateTemplateValues, ValidationResult } from './validateValues';
import { valuesFormFor } from './valuesForm';

/** Keys of the input requests a run asks the client for. */
export const VALUES_REQUEST = 'template_values';
export const SECRETS_REQUEST = 'template_secrets';

/** What a run submits, once nothing is missing. */
export interface RunInputs {
  values: Record<string, unknown>;
  secrets?: Record<string, string>;
  /** The secret request to delete once the task exists. */
  secretRequestId?: string;
}

/** What the client must ask the user before the run can go on. */
export interface PendingInputs {
  inputRequests: Record<string, InputRequest>;
  requestState?: string;
}

/** Who may use a secret request: the principal that asked for it. */
export function principalKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  // A user entity ref already starts with "user:"; a subject needs its type.
  return principal.type === 'user' && principal.userEntityRef
    ? principal.userEntityRef
    : `${principal.type}:${principal.subject ?? 'unknown'}`;
}

/** The client's self-description, cut and cleaned: it is shown to a person. */
function clientOf(
  client: McpToolCallContext['client'],
): SecretRequestClient | undefined {
  const clean = (text: unknown, max: number) =>
    typeof text === 'string'
      ? text
          .replace(/[\p{Cc}\p{Cf}]/gu, '')
          .trim()
          .slice(0, max)
      : '';
  const name = clean(client?.name, 100);
  if (!name) return undefined;
  const version = clean(client?.version, 50);
  return version ? { name, version } : { name };
}

function describeProblems(ref: string, report: ValidationResult) {
  const lines = report.problems.map(p =>
    [
      p.field,
      p.message,
      p.expected === undefined
        ? ''
        : `(expected ${JSON.stringify(p.expected)})`,
    ]
      .filter(Boolean)
      .join(' '),
  );
  return `The values are not valid for ${ref}; nothing was run. ${lines.join(
    '; ',
  )}. Fix them (ask the user where you cannot infer a value; check with scaffolder_validate_values) and call again`;
}

function secretFieldsOf(template: LoadedTemplate): SecretField[] {
  const { schema, required, secretFields } = template.merged;
  return secretFields.map(path => {
    const property = path.includes('.') ? undefined : schema.properties?.[path];
    return {
      name: path.split('.').pop()!,
      ...(typeof property?.title === 'string' ? { title: property.title } : {}),
      ...(typeof property?.description === 'string'
        ? { description: property.description }
        : {}),
      required: !path.includes('.') && required.includes(path),
    };
  });
}

function maskedValues(
  values: Record<string, unknown>,
  secretPaths: string[],
  secrets: Record<string, string>,
) {
  // As Backstage's own Secret field does: the form value is a mask of the
  // same length, the secret itself travels separately to the scaffolder.
  const copy = structuredClone(values);
  for (const path of secretPaths) {
    const secret = secrets[path.split('.').pop()!];
    if (secret === undefined) continue;
    const parts = path.split('.');
    let node: Record<string, unknown> = copy;
    for (const part of parts.slice(0, -1)) {
      if (typeof node[part] !== 'object' || node[part] === null)
        node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = '*'.repeat(secret.length);
  }
  return copy;
}

async function readSecretRequest(
  read: () => Promise<SecretRequest | undefined>,
): Promise<SecretRequest | undefined> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof UnreadableSecretError)) throw error;
    throw new ServiceUnavailableError(
      "The secrets entered for this run cannot be read on this server (they were encrypted with another key, or damaged); nothing was run. Tell the portal's administrators: every replica needs the same mcp.secretEntry.encryptionKey. A retry may reach a replica that can read them",
    );
  }
}

/**
 * Gathers what a template run needs: the agent's values, what the user
 * answered in a form for missing ones, and secrets the user entered on the
 * portal. Invalid values are refused with a field report; what is missing is
 * asked from the user where the client can ask (2026-07-28 elicitation), and
 * otherwise named in the error, with the portal link for secrets.
 */
export async function gatherRunInputs(options: {
  template: LoadedTemplate;
  values: Record<string, unknown>;
  secretRequestId?: string;
  caller: BackstageCredentials;
  /** The MCP client as it named itself, shown on the entry page. */
  client?: McpToolCallContext['client'];
  interaction: McpClientInteraction;
  secretRequests: SecretRequestStore;
  secretEntrants: SecretEntrantsOf;
  secretEntryUrl: string;
}): Promise<RunInputs | PendingInputs> {
  const { template, interaction, secretRequests } = options;
  const inputRequests: Record<string, InputRequest> = {};

  const answer = inputResponse(interaction.inputResponses, VALUES_REQUEST);
  if (answer.kind === 'elicit' && answer.action !== 'accept') {
    throw new InputError(
      `The user did not fill in the missing values for ${template.ref} (${answer.action}); nothing was run`,
    );
  }
  const answered =
    acceptedContent(interaction.inputResponses, VALUES_REQUEST) ?? {};
  const values = { ...options.values };
  for (const [field, value] of Object.entries(answered)) {
    if (!(field in values)) values[field] = value;
  }
  // The form fills in defaults before it submits; so does a run here.
  for (const [field, property] of Object.entries(
    template.merged.schema.properties ?? {},
  )) {
    const fallback = (property as { default?: unknown })?.default;
    if (
      fallback !== undefined &&
      !(field in values) &&
      !template.merged.secretFields.includes(field)
    ) {
      values[field] = structuredClone(fallback);
    }
  }

  const report = validateTemplateValues(template.merged, values);
  if (!report.valid) {
    const missing = new Set(report.missing_required);
    const onlyMissing = report.problems.every(p => missing.has(p.field));
    const form =
      onlyMissing && interaction.elicitation.form
        ? valuesFormFor(template.merged.schema, report.missing_required)
        : undefined;
    if (!form) throw new InputError(describeProblems(template.ref, report));
    inputRequests[VALUES_REQUEST] = inputRequired.elicit({
      message: `To run ${
        template.entity.metadata.title ?? template.ref
      }, please fill in: ${report.missing_required.join(', ')}`,
      requestedSchema: form,
    });
  }

  const secretFields = secretFieldsOf(template);
  let secrets: Record<string, string> | undefined;
  let secretRequestId: string | undefined;
  if (secretFields.some(f => f.required)) {
    const owner = principalKey(options.caller);
    const entrants = options.secretEntrants(options.caller, template.ref);
    // The id travels only in requestState (2026-07-28) or from agents that
    // kept one from earlier versions; otherwise the run picks up the latest
    // request of its principal for this template, so that no id has to pass
    // through the model's text and the audit trail.
    const knownId = options.secretRequestId ?? interaction.requestState;
    let request = await readSecretRequest(() =>
      knownId
        ? secretRequests.get(knownId)
        : secretRequests.latestFor(owner, template.ref),
    );
    if (
      request &&
      (request.principal !== owner || request.templateRef !== template.ref)
    ) {
      throw new NotAllowedError(
        'This secret_request belongs to another run: call scaffolder_run_template without it so that the user is asked for this one',
      );
    }
    if (request?.secrets) {
      secrets = request.secrets;
      secretRequestId = request.id;
    } else {
      if (request) {
        await secretRequests.announce(request);
      } else {
        const client = clientOf(options.client);
        request = await secretRequests.create({
          principal: owner,
          entrants,
          templateRef: template.ref,
          ...(template.entity.metadata.title
            ? { templateTitle: template.entity.metadata.title }
            : {}),
          ...(client ? { client } : {}),
          fields: secretFields,
        });
      }
      secretRequestId = request.id;
      const url = options.secretEntryUrl;
      const who = describeEntrants(request.entrants);
      const names = secretFields
        .filter(f => f.required)
        .map(f => f.name)
        .join(', ');
      if (interaction.elicitation.url) {
        inputRequests[SECRETS_REQUEST] = inputRequired.elicitUrl({
          message: `${template.ref} needs secrets (${names}) that must not pass through the agent. Enter them on the portal, signed in as ${who}, within 10 minutes.`,
          url,
        });
      } else if (Object.keys(inputRequests).length === 0) {
        throw new InputError(
          `${template.ref} needs secrets (${names}) that must not pass through you; nothing was run. Ask the user to open ${url}, signed in to the portal as ${who}, and enter them there within 10 minutes; then call scaffolder_run_template again with the same arguments`,
        );
      }
    }
  }

  if (Object.keys(inputRequests).length) {
    return {
      inputRequests,
      ...(secretRequestId ? { requestState: secretRequestId } : {}),
    };
  }
  return {
    values: secrets
      ? maskedValues(values, template.merged.secretFields, secrets)
      : values,
    ...(secrets ? { secrets, secretRequestId } : {}),
  };
}
