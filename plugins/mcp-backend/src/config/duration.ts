import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/**
 * Reads a duration (`{ seconds: 2 }`, `"2s"` or ISO 8601 `"PT2S"`) in
 * milliseconds, failing startup when it is malformed or out of bounds.
 * Undefined when the key is absent.
 */
export function readOptionalDurationMs(
  config: Config,
  key: string,
  path: string,
  bounds: { minMs: number; maxMs: number; description: string },
): number | undefined {
  if (!config.has(key)) return undefined;
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new InputError(
      `Config ${path} must be a duration such as { seconds: 2 } or "2s": ${
        (error as Error).message
      }`,
    );
  }
  if (!(ms >= bounds.minMs && ms <= bounds.maxMs)) {
    throw new InputError(`Config ${path} must be from ${bounds.description}`);
  }
  return ms;
}
