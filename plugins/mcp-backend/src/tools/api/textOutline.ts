/**
 * Outlines of text formats by a line scan: not a parser, but enough for an
 * agent to see what a schema or proto file declares before reading it.
 */

const GRAPHQL_DECLARATION =
  /^\s*(?:extend\s+)?(type|interface|input|enum|union|scalar|directive)\s+@?([_A-Za-z][_0-9A-Za-z]*)/;
const GRAPHQL_ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

function count(text: string, char: string) {
  return text.split(char).length - 1;
}

/** "type Query — product, cart", "enum Availability", ... */
export function graphqlOutline(text: string): string[] {
  const lines: string[] = [];
  let root: { line: number; fields: string[] } | undefined;
  let inBlockString = false;
  let braceDepth = 0;
  let parenDepth = 0;
  for (const raw of text.split('\n')) {
    const blockQuotes = count(raw, '"""');
    const wasInBlockString = inBlockString;
    if (blockQuotes % 2 === 1) inBlockString = !inBlockString;
    if (wasInBlockString || blockQuotes) continue;
    const line = raw.replace(/"(?:[^"\\]|\\.)*"/g, '').replace(/#.*/, '');

    const declaration =
      braceDepth === 0 ? GRAPHQL_DECLARATION.exec(line) : null;
    if (declaration) {
      lines.push(`${declaration[1]} ${declaration[2]}`);
      root = GRAPHQL_ROOT_TYPES.has(declaration[2])
        ? { line: lines.length - 1, fields: [] }
        : undefined;
    } else if (root && braceDepth === 1 && parenDepth === 0) {
      const field = /^\s*([_A-Za-z][_0-9A-Za-z]*)\s*[(:]/.exec(line);
      if (field) root.fields.push(field[1]);
    }
    braceDepth = Math.max(0, braceDepth + count(line, '{') - count(line, '}'));
    parenDepth = Math.max(0, parenDepth + count(line, '(') - count(line, ')'));
    if (root && braceDepth === 0 && line.includes('}')) {
      if (root.fields.length)
        lines[root.line] += ` — ${root.fields.join(', ')}`;
      root = undefined;
    }
  }
  return lines;
}

const PROTO_DECLARATION =
  /^\s*(service|message|enum)\s+([_A-Za-z][_0-9A-Za-z]*)/;
const PROTO_RPC =
  /^\s*rpc\s+(\w+)\s*\(\s*(stream\s+)?([\w.]+)\s*\)\s*returns\s*\(\s*(stream\s+)?([\w.]+)\s*\)/;

/** "service PricingService", "  rpc GetPrices(GetPricesRequest) returns (...)", ... */
export function protoOutline(text: string): string[] {
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*/, '');
    const rpc = PROTO_RPC.exec(line);
    if (rpc) {
      const [, name, inStream, input, outStream, output] = rpc;
      lines.push(
        `  rpc ${name}(${inStream ? 'stream ' : ''}${input}) returns (${
          outStream ? 'stream ' : ''
        }${output})`,
      );
      continue;
    }
    const declaration = PROTO_DECLARATION.exec(line);
    if (declaration) lines.push(`${declaration[1]} ${declaration[2]}`);
  }
  return lines;
}
