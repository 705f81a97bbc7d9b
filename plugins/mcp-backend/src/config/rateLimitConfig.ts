import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readOptionalDurationMs } from './duration';

/** At most `limit` calls per `windowMs`, counted per principal. */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

/**
 * The budgets of one principal: `calls` counts every tool call, resource
 * read and prompt; `writes` counts in addition the calls of tools that are
 * not read-only. An absent budget is unlimited.
 */
export interface RateLimits {
  calls?: RateLimit;
  writes?: RateLimit;
}

const BUDGETS = ['calls', 'writes'] as const;

function readRateLimit(config: Config, where: string): RateLimit {
  const limit = config.getNumber('limit');
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InputError(
      `Config ${where}.limit must be a positive integer, got ${limit}`,
    );
  }
  const windowMs =
    readOptionalDurationMs(config, 'window', `${where}.window`, {
      minMs: 1000,
      maxMs: 24 * 3600_000,
      description: '1 second to 1 day',
    }) ?? 60_000;
  return { limit, windowMs };
}

/**
 * Reads a `rateLimits` block (`mcp.rateLimits` or an agent's). Returns
 * undefined when the block is absent, so that an agent without one falls
 * back to the global budgets.
 */
export function readRateLimits(
  config: Config | undefined,
  where: string,
): RateLimits | undefined {
  const block = config?.getOptionalConfig('rateLimits');
  if (!block) return undefined;
  const limits: RateLimits = {};
  for (const budget of BUDGETS) {
    const entry = block.getOptionalConfig(budget);
    if (entry)
      limits[budget] = readRateLimit(entry, `${where}.rateLimits.${budget}`);
  }
  return limits;
}

/** An agent's own budgets replace the global ones budget by budget. */
export function mergeRateLimits(
  global: RateLimits,
  own: RateLimits | undefined,
): RateLimits {
  return { ...global, ...own };
}
