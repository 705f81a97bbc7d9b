import { BlockEntry } from './blockList';
import { RateLimitRefusal } from './rateLimiter';

/** What a blocked caller is told: by whom it was decided, why, and until when. */
export function describeBlock(block: BlockEntry): string {
  const until = block.expiresAt
    ? ` until ${block.expiresAt}`
    : ' until an administrator lifts it';
  return (
    `Your access to this portal's MCP server is suspended by its administrators (kill switch) since ${block.blockedAt}${until}. ` +
    `Reason given: "${block.reason}". Nothing was done; retrying will not help. Ask the portal's administrators`
  );
}

/** What a limited caller is told: which budget, and when to retry. */
export function describeRateLimit(
  refusal: RateLimitRefusal,
  now: number = Date.now(),
): string {
  const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
  const window =
    refusal.windowMs % 60_000 === 0
      ? `${refusal.windowMs / 60_000} min`
      : `${refusal.windowMs / 1000} s`;
  const what =
    refusal.budget === 'writes'
      ? 'calls of tools that change something'
      : 'calls';
  return (
    `Rate limit reached: at most ${refusal.limit} ${what} per ${window} for your identity (mcp.rateLimits). ` +
    `Nothing was done. Retry after ${seconds} s (at ${new Date(
      now + seconds * 1000,
    ).toISOString()})`
  );
}
