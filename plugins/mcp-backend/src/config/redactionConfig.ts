import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** What happens to a restricted value: left out, or replaced by {@link MASK}. */
export type RedactionAction = 'remove' | 'mask';

/** The text a masked value is replaced with. */
export const MASK = '[redacted]';

/** One restricted field: a dot path into entity-shaped objects of a result. */
export interface FieldRedaction {
  /** As configured, e.g. `spec.profile.email`; audit events name it. */
  path: string;
  segments: readonly string[];
  action: RedactionAction;
}

/** Annotations whose key matches a pattern. */
export interface AnnotationRedaction {
  /** As configured, e.g. `vault.io/*`. */
  pattern: string;
  matches(key: string): boolean;
  action: RedactionAction;
}

/** The restrictions that apply to one caller. */
export interface RedactionRules {
  fields: readonly FieldRedaction[];
  annotations: readonly AnnotationRedaction[];
}

/** `mcp.redaction` and the `redaction` of each `mcp.agents[]` entry. */
export interface RedactionConfig {
  global: RedactionRules;
  /** Added to the global rules for static-token agents, by token subject. */
  agents: ReadonlyMap<string, RedactionRules>;
}

/** No restrictions at all. */
export const NO_REDACTION: RedactionConfig = {
  global: { fields: [], annotations: [] },
  agents: new Map(),
};

function readAction(config: Config, where: string): RedactionAction {
  const action = config.getOptionalString('action') ?? 'remove';
  if (action !== 'remove' && action !== 'mask') {
    throw new InputError(
      `Config ${where}.action must be "remove" or "mask", got "${action}"`,
    );
  }
  return action;
}

/**
 * Turns a glob (`*` is any run of characters, `/` included) or a
 * `/regular expression/` into a matcher of annotation keys. Matching ignores
 * letter case: the catalog lowercases annotation keys in filters and facets,
 * so `PagerDuty.com/...` must not slip past a rule for `pagerduty.com/...`.
 */
function annotationMatcher(
  pattern: string,
  where: string,
): (key: string) => boolean {
  let regex: RegExp;
  try {
    regex =
      pattern.length > 2 && pattern.startsWith('/') && pattern.endsWith('/')
        ? new RegExp(pattern.slice(1, -1), 'i')
        : new RegExp(
            `^${pattern
              .split('*')
              .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
              .join('.*')}$`,
            'i',
          );
  } catch (error) {
    throw new InputError(
      `Config ${where}.pattern "${pattern}" is not a valid regular expression`,
    );
  }
  return key => regex.test(key);
}

function readRules(config: Config | undefined, where: string): RedactionRules {
  const fields = (config?.getOptionalConfigArray('fields') ?? []).map(
    (field, index) => {
      const at = `${where}.fields[${index}]`;
      const path = field.getString('path');
      const segments = path.split('.');
      if (segments.some(segment => !segment)) {
        throw new InputError(
          `Config ${at}.path "${path}" must be a dot path like spec.profile.email`,
        );
      }
      return { path, segments, action: readAction(field, at) };
    },
  );
  const annotations = (
    config?.getOptionalConfigArray('annotationPatterns') ?? []
  ).map((entry, index) => {
    const at = `${where}.annotationPatterns[${index}]`;
    const pattern = entry.getString('pattern');
    return {
      pattern,
      matches: annotationMatcher(pattern, at),
      action: readAction(entry, at),
    };
  });
  return { fields, annotations };
}

/**
 * Reads `mcp.redaction` and `mcp.agents[].redaction` from the `mcp` config
 * section. Kept apart from the other agent settings: it only looks at the
 * `subject` and `redaction` keys of each agent.
 */
export function readRedactionConfig(mcpConfig: Config): RedactionConfig {
  const agents = new Map<string, RedactionRules>();
  (mcpConfig.getOptionalConfigArray('agents') ?? []).forEach((agent, index) => {
    const redaction = agent.getOptionalConfig('redaction');
    if (redaction) {
      agents.set(
        agent.getString('subject'),
        readRules(redaction, `mcp.agents[${index}].redaction`),
      );
    }
  });
  return {
    global: readRules(
      mcpConfig.getOptionalConfig('redaction'),
      'mcp.redaction',
    ),
    agents,
  };
}

/**
 * The rules for one caller: the global ones, plus those of the agent whose
 * static token it used. Users are named by the permission policy, not here.
 */
export function redactionRulesFor(
  config: RedactionConfig,
  caller: BackstageCredentials,
): RedactionRules {
  const principal = caller.principal as { type: string; subject?: string };
  const agent =
    principal.type === 'service' && principal.subject
      ? config.agents.get(principal.subject)
      : undefined;
  if (!agent) return config.global;
  return {
    fields: [...config.global.fields, ...agent.fields],
    annotations: [...config.global.annotations, ...agent.annotations],
  };
}
