import { continuationHint, sliceText, TextWindow } from '../shared/textWindow';

export { continuationHint };

/** One window of a definition text, as api_get_spec returns it. */
export interface DefinitionWindow extends Omit<TextWindow, 'text'> {
  definition: string;
}

/**
 * Cuts at most `maxChars` characters out of `text` from `offset`. Windows read
 * one after another with offset=next_offset join to the exact text.
 */
export function sliceDefinition(
  text: string,
  offset: number,
  maxChars: number,
): DefinitionWindow {
  const { text: definition, ...window } = sliceText(text, offset, maxChars, {
    noun: 'definition',
  });
  return { definition, ...window };
}
