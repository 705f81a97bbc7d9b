/*
 * Where the time goes in a V8 CPU profile (`node --cpu-prof`): self time per
 * function, per package and per the categories the benchmark reports,
 * counted over the samples taken in a time window.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Entries of V8's own, not of any script. */
const V8_ENTRIES: Record<string, string> = {
  '(garbage collector)': 'GC',
  '(program)': 'V8 and native code outside JS ("(program)")',
  '(idle)': 'idle',
  '(root)': 'idle',
};

/** The package a script belongs to: the last node_modules segment, a workspace package, or Node's core. */
export function packageOf(url: string): string {
  const modules = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
  if (modules.length) {
    const pkg = modules[modules.length - 1][1];
    // One package, many services: name the service.
    const service =
      pkg === '@backstage/backend-defaults' &&
      /\/entrypoints\/([^/]+)\//.exec(url);
    return service ? `${pkg} (${service[1]})` : pkg;
  }
  const workspace = /\/(plugins|packages)\/([^/]+)\//.exec(url);
  if (workspace) return `workspace:${workspace[1]}/${workspace[2]}`;
  if (url.startsWith('node:internal/deps/undici')) return 'undici (Node fetch)';
  if (url.startsWith('node:'))
    return `node:${
      url.slice(5).split('/')[0] === 'internal'
        ? url.slice(5).split('/')[1]
        : url.slice(5)
    }`;
  return url || '(native)';
}

/**
 * The categories asked about (issue 13): ordered rules on the package and
 * the script path; the first that matches wins.
 */
const CATEGORY_RULES: [string, (pkg: string) => boolean][] = [
  ['MCP SDK', pkg => pkg.startsWith('@modelcontextprotocol/')],
  [
    'gzip/zlib (compression)',
    pkg => pkg === 'compression' || pkg === 'node:zlib',
  ],
  [
    'HTTP client (undici, node-fetch)',
    pkg =>
      pkg === 'undici (Node fetch)' || pkg === 'node-fetch' || pkg === 'undici',
  ],
  [
    'tokens (jose, auth/httpAuth services)',
    pkg =>
      pkg === 'jose' ||
      /^@backstage\/backend-defaults \((auth|httpAuth|userInfo)\)$/.test(pkg) ||
      pkg === '@backstage/plugin-auth-node',
  ],
  ['helmet', pkg => pkg === 'helmet'],
  [
    'OpenAPI validator (express-openapi-validator, ajv for it)',
    pkg =>
      pkg === 'express-openapi-validator' ||
      pkg === '@backstage/backend-openapi-utils',
  ],
  [
    'catalog backend (router, queries, permissions filter)',
    pkg => pkg === '@backstage/plugin-catalog-backend',
  ],
  [
    'catalog client',
    pkg =>
      pkg === '@backstage/catalog-client' ||
      pkg === '@backstage/plugin-catalog-node',
  ],
  [
    'database (knex, better-sqlite3)',
    pkg => pkg === 'knex' || pkg === 'better-sqlite3',
  ],
  [
    'permissions (framework, permission backend)',
    pkg => pkg.startsWith('@backstage/plugin-permission'),
  ],
  [
    'our plugin (mcp-backend, mcp-node, mcp-common)',
    pkg => /^workspace:plugins\/mcp/.test(pkg),
  ],
  ['demo backend code', pkg => pkg === 'workspace:packages/backend'],
  ['zod', pkg => pkg === 'zod'],
  ['ajv (JSON Schema validation)', pkg => pkg.startsWith('ajv')],
  [
    'express, routers, body parsing',
    pkg =>
      /^(express|express-promise-router|router|body-parser|raw-body|iconv-lite|type-is|content-type|qs|on-finished|finalhandler|send|cors|path-to-regexp|cookie-parser)$/.test(
        pkg,
      ),
  ],
  [
    'logging (winston, logform, auditor)',
    pkg =>
      /^(winston|winston-transport|logform|triple-beam|safe-stable-stringify|colors|@colors\/colors|morgan)$/.test(
        pkg,
      ) ||
      /^@backstage\/backend-defaults \((logger|rootLogger|auditor)\)$/.test(
        pkg,
      ),
  ],
  ['other Backstage backend services', pkg => pkg.startsWith('@backstage/')],
  ['GC', pkg => pkg === 'GC'],
  [
    'V8 and native code outside JS ("(program)")',
    pkg => pkg.startsWith('V8 and native'),
  ],
  ['Node core (http, net, streams, timers...)', pkg => pkg.startsWith('node:')],
  ['idle', pkg => pkg === 'idle'],
];

export function categoryOf(pkg: string): string {
  return (
    CATEGORY_RULES.find(([, matches]) => matches(pkg))?.[0] ?? 'other packages'
  );
}

const shortUrl = (url: string, line: number) =>
  `${url
    .replace(/^.*node_modules\//, '')
    .replace(/^file:\/\/.*?\/(plugins|packages)\//, '$1/')}:${line + 1}`;

export interface ProfileSummary {
  window: { startUs: number; endUs: number; inProfile: boolean };
  samples: number;
  sampledMs: number;
  idleMs: number;
  byCategory: {
    category: string;
    selfMs: number;
    selfShare: number;
    inclusiveMs: number;
  }[];
  byPackage: {
    pkg: string;
    category: string;
    selfMs: number;
    selfShare: number;
  }[];
  topFunctions: {
    fn: string;
    pkg: string;
    where: string;
    selfMs: number;
    selfShare: number;
  }[];
}

const isNodeCore = (pkg: string) =>
  pkg.startsWith('node:') || pkg === 'undici (Node fetch)';

/**
 * Self time goes to the package responsible for it: a frame without a
 * script (a native binding, a builtin) counts for its nearest caller that has
 * one, and Node's own modules count for the nearest package that called them
 * (node:crypto under jose is token work, a stdout write under winston is
 * logging, undici's Request under the MCP SDK is the SDK's). Node core work
 * that no package called (event-loop callbacks: socket reads, zlib
 * completions) stays with its Node module. GC and "(program)" stay apart.
 * Shares are of the busy (non-idle) time.
 */
export function summarizeProfile(
  profile: CpuProfile,
  windowUs?: { startUs: number; endUs: number },
): ProfileSummary {
  const nodes = new Map(profile.nodes.map(node => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);

  type Owner = { pkg: string; url: string; frame: CallFrame };
  /** The nearest frame with a script, itself included, as package and url. */
  const scripted = new Map<number, Owner | undefined>();
  const nearestScripted = (id: number | undefined): Owner | undefined => {
    if (id === undefined) return undefined;
    if (scripted.has(id)) return scripted.get(id);
    const { callFrame } = nodes.get(id)!;
    const found = callFrame.url
      ? { pkg: packageOf(callFrame.url), url: callFrame.url, frame: callFrame }
      : nearestScripted(parent.get(id));
    scripted.set(id, found);
    return found;
  };
  /** The nearest package frame that is not Node core, from id up. */
  const nearestPackage = (id: number | undefined): Owner | undefined => {
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const owner = nearestScripted(cur);
      if (!owner) return undefined;
      if (!isNodeCore(owner.pkg)) return owner;
    }
    return undefined;
  };
  const attributed = new Map<number, Owner>();
  const attribute = (id: number): Owner => {
    const cached = attributed.get(id);
    if (cached) return cached;
    const { callFrame } = nodes.get(id)!;
    let result: Owner;
    if (V8_ENTRIES[callFrame.functionName] && !callFrame.url) {
      result = {
        pkg: V8_ENTRIES[callFrame.functionName],
        url: '',
        frame: callFrame,
      };
    } else {
      const own = nearestScripted(id);
      if (!own) result = { pkg: '(native)', url: '', frame: callFrame };
      else if (isNodeCore(own.pkg))
        result = { ...(nearestPackage(id) ?? own), frame: callFrame };
      else result = { ...own, frame: callFrame };
    }
    attributed.set(id, result);
    return result;
  };
  const categoriesOnStack = new Map<number, Set<string>>();
  const stackCategories = (id: number): Set<string> => {
    const cached = categoriesOnStack.get(id);
    if (cached) return cached;
    const up = parent.get(id);
    const set = new Set(up === undefined ? [] : stackCategories(up));
    const { pkg } = attribute(id);
    set.add(categoryOf(pkg));
    categoriesOnStack.set(id, set);
    return set;
  };

  const window = windowUs ?? {
    startUs: profile.startTime,
    endUs: profile.endTime,
  };
  const inProfile =
    window.startUs >= profile.startTime && window.endUs <= profile.endTime;
  const selfByNode = new Map<number, number>();
  let time = profile.startTime;
  let samples = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    if (time < window.startUs || time > window.endUs) continue;
    // A sample stands for the interval up to the next one.
    const next = profile.timeDeltas[i + 1] ?? 0;
    selfByNode.set(
      profile.samples[i],
      (selfByNode.get(profile.samples[i]) ?? 0) + next,
    );
    samples += 1;
  }

  const byCategory = new Map<string, { self: number; inclusive: number }>();
  const byPackage = new Map<string, { category: string; self: number }>();
  const byFunction = new Map<
    string,
    { fn: string; pkg: string; where: string; self: number }
  >();
  let sampledUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfByNode) {
    const { pkg, frame } = attribute(id);
    const category = categoryOf(pkg);
    sampledUs += us;
    if (category === 'idle') idleUs += us;
    const c = byCategory.get(category) ?? { self: 0, inclusive: 0 };
    c.self += us;
    byCategory.set(category, c);
    for (const onStack of stackCategories(id)) {
      const s = byCategory.get(onStack) ?? { self: 0, inclusive: 0 };
      s.inclusive += us;
      byCategory.set(onStack, s);
    }
    const p = byPackage.get(pkg) ?? { category, self: 0 };
    p.self += us;
    byPackage.set(pkg, p);
    const where = frame.url
      ? shortUrl(frame.url, frame.lineNumber)
      : `(native, under ${pkg})`;
    const key = `${frame.functionName || '(anonymous)'} ${where}`;
    const f = byFunction.get(key) ?? {
      fn: frame.functionName || '(anonymous)',
      pkg,
      where,
      self: 0,
    };
    f.self += us;
    byFunction.set(key, f);
  }
  const busyUs = sampledUs - idleUs;
  const ms = (us: number) => us / 1000;
  const share = (us: number) => us / busyUs;
  return {
    window: { ...window, inProfile },
    samples,
    sampledMs: ms(sampledUs),
    idleMs: ms(idleUs),
    byCategory: [...byCategory.entries()]
      .filter(([category]) => category !== 'idle')
      .map(([category, v]) => ({
        category,
        selfMs: ms(v.self),
        selfShare: share(v.self),
        inclusiveMs: ms(v.inclusive),
      }))
      .sort((a, b) => b.selfMs - a.selfMs),
    byPackage: [...byPackage.entries()]
      .filter(([, v]) => v.category !== 'idle')
      .map(([pkg, v]) => ({
        pkg,
        category: v.category,
        selfMs: ms(v.self),
        selfShare: share(v.self),
      }))
      .sort((a, b) => b.selfMs - a.selfMs),
    topFunctions: [...byFunction.values()]
      .filter(f => categoryOf(f.pkg) !== 'idle')
      .map(f => ({
        fn: f.fn,
        pkg: f.pkg,
        where: f.where,
        selfMs: ms(f.self),
        selfShare: share(f.self),
      }))
      .sort((a, b) => b.selfMs - a.selfMs),
  };
}
