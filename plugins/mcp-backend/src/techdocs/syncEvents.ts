/** How a docs build that a tool asked for ended, as far as the tool waited. */
export type SyncOutcome =
  /** The docs were built (updated) or were already up to date (unchanged). */
  | { status: 'updated' | 'unchanged' }
  /**
   * The build failed; the message is the TechDocs backend's, `buildErrors`
   * the errors mkdocs printed in the build log (absent when it printed none).
   */
  | { status: 'failed'; message: string; buildErrors?: string[] }
  /** The wait ended before the build did; the build goes on. */
  | { status: 'timeout' };

/** Largest build message passed on to the agent. */
const MAX_MESSAGE_CHARS = 500;
/** The last error lines of a build log that are passed on, each cut to a line's worth. */
const MAX_BUILD_ERRORS = 5;
const MAX_BUILD_ERROR_CHARS = 300;
/**
 * mkdocs' own error lines (`ERROR    -  Config value "theme": ...`): the
 * TechDocs backend's error only says that the command failed, the log says
 * why.
 */
const MKDOCS_ERROR_LINE = /^(ERROR|CRITICAL)\s+-\s+\S/;
/** Log lines may be colored (TechDocs' own are). */
// eslint-disable-next-line no-control-regex
const ANSI_SEQUENCE = /\u001b\[[0-9;]*m/g;

function buildErrorLines(data: unknown): string[] {
  if (typeof data !== 'string') return [];
  return data
    .split(/\r?\n/)
    .map(line => line.replace(ANSI_SEQUENCE, '').trim())
    .filter(line => MKDOCS_ERROR_LINE.test(line))
    .map(line =>
      line.replace(/\s+-\s+/, ' - ').slice(0, MAX_BUILD_ERROR_CHARS),
    );
}

function parseEvent(
  block: string,
): { event: string; data: unknown } | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (data.length === 0) return undefined;
  try {
    return { event, data: JSON.parse(data.join('\n')) };
  } catch {
    return { event, data: data.join('\n') };
  }
}

/**
 * Reads the event stream of the TechDocs backend's `/sync` endpoint until it
 * says how the build ended (`finish` or `error`); of the `log` events, only
 * mkdocs' error lines are kept, for a failed build.
 */
export async function readSyncOutcome(
  response: Response,
): Promise<SyncOutcome> {
  if (!response.body)
    return {
      status: 'failed',
      message: 'The TechDocs backend sent no build events',
    };
  const decoder = new TextDecoder();
  let buffered = '';
  let buildErrors: string[] = [];
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let boundary = buffered.search(/\r?\n\r?\n/);
    while (boundary >= 0) {
      const block = buffered.slice(0, boundary);
      buffered = buffered.slice(boundary).replace(/^\r?\n\r?\n/, '');
      const parsed = parseEvent(block);
      if (parsed?.event === 'finish') {
        const updated =
          (parsed.data as { updated?: boolean } | null)?.updated === true;
        return { status: updated ? 'updated' : 'unchanged' };
      }
      if (parsed?.event === 'log') {
        buildErrors = [...buildErrors, ...buildErrorLines(parsed.data)].slice(
          -MAX_BUILD_ERRORS,
        );
      }
      if (parsed?.event === 'error') {
        return {
          status: 'failed',
          message: String(parsed.data).slice(0, MAX_MESSAGE_CHARS),
          ...(buildErrors.length ? { buildErrors } : {}),
        };
      }
      boundary = buffered.search(/\r?\n\r?\n/);
    }
  }
  return {
    status: 'failed',
    message: 'The TechDocs backend ended the build stream without a result',
  };
}
