/*
 * The HTTP requests the backend served, from its request log (one line per
 * request, logged by the root HTTP router when the response is finished):
 * which internal requests one MCP call makes.
 */

/** Requests by "METHOD /path" (query left out), in the order first seen. */
export function requestsInLog(log: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of log.matchAll(
    /"(GET|POST|PUT|PATCH|DELETE) (\S+) HTTP\/[\d.]+" (\d{3})/g,
  )) {
    const key = `${match[1]} ${decodeURIComponent(match[2].split('?')[0])}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** "3 x POST /api/catalog/entities/by-refs, ..." per call. */
export function requestsPerCall(
  log: string,
  calls: number,
): { request: string; perCall: number }[] {
  return [...requestsInLog(log).entries()].map(([request, count]) => ({
    request,
    perCall: count / calls,
  }));
}
