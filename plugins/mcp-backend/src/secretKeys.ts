/**
 * Keys whose values are treated as secrets wherever this plugin copies data
 * it did not write (audit summaries of arguments, task outputs). One list,
 * erring on the side of hiding: a redacted harmless value costs little, a
 * leaked token costs a lot.
 */
const SECRET_KEY =
  /pass(word|wd)?|secret|token|credential|api[-_]?key|authorization|private[-_]?key|cookie/i;

/** True when a key looks like it names a secret. */
export function looksLikeSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}
