import { nativeToolsForTests } from '../__testUtils__/nativeTools';
import { ListedTool, ToolInventory } from './toolInventory';

/**
 * What `tools/list` costs: every session puts the native tools' names,
 * descriptions and input schemas in the model's context (issue 13), and
 * every client downloads the whole listing, output schemas included. A
 * deployment adds its own toolsets and bridged actions on top.
 */
const MODEL_VISIBLE_BYTES = 18_000;
const WIRE_BYTES = 40_000;
/** Clients cut or refuse longer descriptions. */
const DESCRIPTION_CHARS = 1_024;

const bytes = (value: unknown) =>
  Buffer.byteLength(JSON.stringify(value), 'utf8');

/** What a model is handed of a tool. */
const modelVisible = ({ name, description, inputSchema }: ListedTool) => ({
  name,
  description,
  inputSchema,
});

function descriptions(
  value: unknown,
  where: string,
): Array<{ where: string; chars: number }> {
  if (Array.isArray(value))
    return value.flatMap((item, i) => descriptions(item, `${where}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === 'description' && typeof item === 'string'
      ? [{ where, chars: item.length }]
      : descriptions(item, `${where}.${key}`),
  );
}

describe('the native tools in tools/list', () => {
  const listed = ToolInventory.of(nativeToolsForTests()).tools.map(
    entry => entry.listed,
  );

  /** "within budget", or the total with the largest tools to look at. */
  function verdict(
    total: number,
    budget: number,
    size: (tool: ListedTool) => number,
  ) {
    if (total <= budget) return 'within budget';
    const largest = [...listed].sort((a, b) => size(b) - size(a)).slice(0, 5);
    return `${total} bytes over ${budget}; largest: ${largest
      .map(t => `${t.name} ${size(t)}`)
      .join(', ')}`;
  }

  it(`hand a model at most ${MODEL_VISIBLE_BYTES} bytes`, () => {
    const size = (tool: ListedTool) => bytes(modelVisible(tool));
    const total = listed.reduce((sum, tool) => sum + size(tool), 0);
    expect(verdict(total, MODEL_VISIBLE_BYTES, size)).toBe('within budget');
  });

  it(`take at most ${WIRE_BYTES} bytes on the wire`, () => {
    expect(verdict(bytes(listed), WIRE_BYTES, bytes)).toBe('within budget');
  });

  it(`have no description over ${DESCRIPTION_CHARS} characters`, () => {
    const all = listed.flatMap(tool => descriptions(tool, tool.name));
    expect(all.length).toBeGreaterThan(listed.length);
    expect(all.filter(d => d.chars > DESCRIPTION_CHARS)).toEqual([]);
  });
});
