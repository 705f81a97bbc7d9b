import {
  DatabaseService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { AgentScopes } from '../config/agentConfig';
import { RateLimits } from '../config/rateLimitConfig';
import { RateLimiter } from './rateLimiter';
import { RateLimitStore } from './rateLimitStore';

/** The scheduler task that deletes ended windows, once across replicas. */
export const RATE_LIMIT_CLEANUP_TASK_ID = 'mcp-rate-limit-windows-cleanup';

/**
 * How long a window is kept after it ended: a replica whose clock is behind
 * still counts in it, and would start it over from zero if it were gone.
 */
export const KEEP_ENDED_WINDOWS_MS = 5 * 60_000;

/** True when any principal has a budget: the global ones, an agent's or the default agent's. */
export function hasBudgets(
  rateLimits: RateLimits,
  scopes: AgentScopes,
): boolean {
  const all = [
    rateLimits,
    scopes.defaultAgent?.rateLimits,
    ...[...scopes.agents.values()].map(a => a.rateLimits),
  ];
  return all.some(limits => Boolean(limits?.calls || limits?.writes));
}

/**
 * The rate limiter over the plugin's database, which must be migrated
 * already (BlockList.create migrates it). Without any budget configured,
 * nothing is scheduled and no call touches the database.
 */
export async function createRateLimiter(options: {
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
  rateLimits: RateLimits;
  agentScopes: AgentScopes;
  storeTimeoutMs: number;
}): Promise<RateLimiter> {
  const store = new RateLimitStore(await options.database.getClient());
  if (hasBudgets(options.rateLimits, options.agentScopes)) {
    await options.scheduler.scheduleTask({
      id: RATE_LIMIT_CLEANUP_TASK_ID,
      scope: 'global',
      frequency: { minutes: 10 },
      timeout: { minutes: 2 },
      initialDelay: { minutes: 1 },
      fn: async () => {
        const deleted = await store.deleteWindowsEndedBefore(
          new Date(Date.now() - KEEP_ENDED_WINDOWS_MS),
        );
        options.logger.debug(`Deleted ${deleted} ended MCP rate-limit windows`);
      },
    });
  }
  return new RateLimiter({
    store,
    logger: options.logger,
    timeoutMs: options.storeTimeoutMs,
  });
}
