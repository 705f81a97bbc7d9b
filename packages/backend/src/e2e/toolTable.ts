/** A tool as tools/list shows it, as far as the README's token table needs. */
export interface ListedTool {
  name: string;
  annotations?: { readOnlyHint?: boolean };
}

const code = (name: string) => `\`${name}\``;

/** "`a`", "`a` and `b`", "`a`, `b` and `c`" */
function names(list: string[]): string {
  const quoted = list.map(code);
  return quoted.length < 2
    ? quoted.join('')
    : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** "a", "a and b", "a, b and c" */
function phrases(list: string[]): string {
  return list.length < 2
    ? list.join('')
    : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

/** Tool names are `<toolset>_<verb>_<noun>`; `whoami` is the core toolset's. */
const toolsetOf = (name: string) =>
  name === 'whoami' ? 'core' : name.split('_')[0];

interface Wording {
  text: string;
  /** How many tool names a reader has to take in. */
  namesListed: number;
}

/** "the read-only tools", plus the other tools by name. */
function readOnlyWording(
  caller: Set<string>,
  all: ListedTool[],
): Wording | undefined {
  const readOnly = all
    .filter(t => t.annotations?.readOnlyHint === true)
    .map(t => t.name);
  if (!readOnly.every(name => caller.has(name))) return undefined;
  const extras = [...caller].filter(name => !readOnly.includes(name));
  return {
    text: extras.length
      ? `the read-only tools plus ${names(extras)}`
      : 'the read-only tools',
    namesListed: extras.length,
  };
}

/** Toolset by toolset: "`whoami` and the read-only catalog tools". */
function toolsetWording(caller: Set<string>, all: ListedTool[]): Wording {
  const parts: string[] = [];
  let namesListed = 0;
  for (const toolset of [...new Set(all.map(t => toolsetOf(t.name)))]) {
    const tools = all.filter(t => toolsetOf(t.name) === toolset);
    const held = tools.filter(t => caller.has(t.name)).map(t => t.name);
    const readOnly = tools
      .filter(t => t.annotations?.readOnlyHint === true)
      .map(t => t.name);
    if (!held.length) continue;
    if (toolset === 'core' || held.length === 1) {
      parts.push(names(held));
      namesListed += held.length;
    } else if (held.length === tools.length) {
      parts.push(`the ${toolset} tools`);
    } else if (
      held.length === readOnly.length &&
      readOnly.every(name => held.includes(name))
    ) {
      parts.push(`the read-only ${toolset} tools`);
    } else {
      parts.push(names(held));
      namesListed += held.length;
    }
  }
  return { text: phrases(parts), namesListed };
}

/**
 * A caller's tools in the words of the README's token table: "all", "none",
 * or whichever of "all but ...", "the read-only tools plus ..." and a
 * toolset-by-toolset wording lists the fewest tool names (the first of
 * those on a tie), so that the table stays readable and has one right text.
 */
export function describeTools(
  callerTools: string[],
  all: ListedTool[],
): string {
  const caller = new Set(callerTools);
  if (caller.size === 0) return 'none';
  const missing = all.map(t => t.name).filter(name => !caller.has(name));
  if (missing.length === 0) return 'all';
  const wordings = [
    { text: `all but ${names(missing)}`, namesListed: missing.length },
    readOnlyWording(caller, all),
    toolsetWording(caller, all),
  ].filter((w): w is Wording => w !== undefined);
  return wordings.reduce((best, w) =>
    w.namesListed < best.namesListed ? w : best,
  ).text;
}

/** One row of a Markdown table, cells trimmed, `\|` kept as `|`. */
export function tableCells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map(cell => cell.trim().replace(/\\\|/g, '|'));
}
