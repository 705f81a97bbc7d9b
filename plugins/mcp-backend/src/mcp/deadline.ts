/** A request ran past its time limit (mcp.callTimeout plus any deliberate wait). */
export class CallDeadlineError extends Error {
  constructor(
    readonly limitMs: number,
    message = `Did not finish within ${limitMs} ms`,
  ) {
    super(message);
    this.name = 'CallDeadlineError';
  }
}

/**
 * Runs `work` for at most `limitMs`: then its signal is aborted and the
 * caller gets a {@link CallDeadlineError}, whether or not the work heeds
 * the signal (a paused database never answers, and a pending query cannot
 * always be cancelled). The client's own cancellation aborts it too.
 */
export async function withinDeadline<T>(
  work: (signal: AbortSignal) => Promise<T>,
  limitMs: number,
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', forwardAbort, { once: true });
  if (outer?.aborted) forwardAbort();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new CallDeadlineError(limitMs);
      controller.abort(error);
      reject(error);
    }, limitMs);
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', forwardAbort);
  }
}
