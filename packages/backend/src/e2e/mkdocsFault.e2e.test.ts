import {
  connectMcpClient,
  PROTOCOL_ERAS,
  ToolCallOutcome,
} from '@backstage-mcp/test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DemoBackend, DEMO_TOKENS, startDemoBackend } from './demoBackend';
import { createScratchDocs, ScratchDocs } from './scratchDocs';

/**
 * Issue 10, fault 2: the machine's mkdocs, which TechDocs runs to build docs
 * on first read (`techdocs.builder: local`), fails or never exits. The
 * TechDocs tools and the docs resource must answer within their wait with a
 * message that says what happened and what to do, and the backend must keep
 * serving. A fake `mkdocs` first on the backend's PATH plays both parts.
 */

const CALL_TIMEOUT_S = 3;
const BUILD_WAIT_S = 3;
/** Beyond a request's limit: the round trip on a loaded 2-core CI machine. */
const MARGIN_MS = 5000;
const BOUND_MS = (BUILD_WAIT_S + CALL_TIMEOUT_S) * 1000 + MARGIN_MS;

/**
 * The stand-in: records its pid (the one `exec` keeps), then fails like an
 * mkdocs that lacks a plugin, or hangs for 10 minutes (longer than this file
 * runs, and still ends by itself should teardown miss it), as the site's
 * `fake-mkdocs-mode` file says.
 */
const FAKE_MKDOCS = (pidFile: string) => `#!/bin/sh
echo $$ >> '${pidFile}'
if [ "$(cat fake-mkdocs-mode 2>/dev/null)" = hang ]; then
  echo 'INFO    -  Building documentation...' >&2
  exec sleep 600
fi
echo 'ERROR   -  Config value "theme": Unrecognised theme name: "material".' >&2
exit 1
`;

const auth = { Authorization: `Bearer ${DEMO_TOKENS.agent}` };
const outcomeOf = (result: ToolCallOutcome) =>
  result.isError ? result.content[0]?.text ?? '(isError without text)' : 'ok';

function isRunning(pid: number) {
  try {
    // A pid the kernel gave to another process since holds no "sleep".
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('sleep');
  } catch {
    return false;
  }
}

describe('TechDocs tools when mkdocs fails or hangs', () => {
  let backend: DemoBackend | undefined;
  let fakeDirectory: string;
  let pidFile: string;
  let failing: ScratchDocs;
  let hanging: ScratchDocs;
  const timings: string[] = [];

  /** The fake mkdocs processes started so far. */
  const fakePids = () =>
    fs.existsSync(pidFile)
      ? fs.readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number)
      : [];

  beforeAll(async () => {
    fakeDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-fake-mkdocs-'));
    pidFile = path.join(fakeDirectory, 'pids');
    const workDirectory = path.join(fakeDirectory, 'work');
    fs.mkdirSync(workDirectory);
    fs.writeFileSync(path.join(fakeDirectory, 'mkdocs'), FAKE_MKDOCS(pidFile), {
      mode: 0o755,
    });
    failing = createScratchDocs('failing-docs');
    hanging = createScratchDocs('hanging-docs');
    fs.writeFileSync(path.join(hanging.directory, 'fake-mkdocs-mode'), 'hang');
    const locations = [failing, hanging].map(docs =>
      JSON.parse(docs.env.APP_CONFIG_catalog_locations),
    );
    backend = await startDemoBackend({
      env: {
        PATH: `${fakeDirectory}${path.delimiter}${process.env.PATH}`,
        // Both sites beside the demo's own locations (listed once).
        APP_CONFIG_catalog_locations: JSON.stringify([
          ...locations[0],
          locations[1].at(-1),
        ]),
        // The demo's prebuild would run the fake on every example site.
        APP_CONFIG_demo_prebuildDocs: 'false',
        // TechDocs builds into temporary directories here; a hung build's
        // is never removed, so they go where teardown removes them.
        APP_CONFIG_backend_workingDirectory: workDirectory,
        APP_CONFIG_mcp_callTimeout: `${CALL_TIMEOUT_S}s`,
        APP_CONFIG_mcp_techdocs_buildWaitSeconds: String(BUILD_WAIT_S),
      },
    });
  }, 180_000);

  /** Ends what a failed test may have left: the backend, then any fake still running. */
  afterAll(async () => {
    try {
      await backend?.stop();
      for (const pid of fakePids().filter(isRunning))
        process.kill(pid, 'SIGKILL');
    } finally {
      fs.rmSync(fakeDirectory, { recursive: true, force: true });
      failing?.remove();
      hanging?.remove();
      if (timings.length > 0) {
        // Reported in the test output: the figures of the README's Faults section.
        console.log(
          `[mkdocs-fault] timings (callTimeout ${CALL_TIMEOUT_S} s, buildWaitSeconds ${BUILD_WAIT_S}):\n${timings.join(
            '\n',
          )}`,
        );
      }
    }
  }, 60_000);

  /** Calls the TechDocs tools and reads the docs resource of a site, timed. */
  async function readDocs(docs: ScratchDocs) {
    const answers: Array<{
      what: string;
      era: string;
      ms: number;
      outcome: string;
    }> = [];
    for (const era of PROTOCOL_ERAS) {
      const client = await connectMcpClient(era, backend!.mcpUrl, auth);
      try {
        const calls: Array<[string, () => Promise<string>]> = [
          [
            'techdocs_list_pages',
            async () =>
              outcomeOf(
                await client.callTool('techdocs_list_pages', { ref: docs.ref }),
              ),
          ],
          [
            'techdocs_get_page',
            async () =>
              outcomeOf(
                await client.callTool('techdocs_get_page', {
                  ref: docs.ref,
                  path: '/runbook/',
                }),
              ),
          ],
          [
            'docs resource',
            async () =>
              client
                .readResource(
                  `backstage://docs/component/default/${docs.name}/runbook/`,
                )
                .then(
                  () => 'ok',
                  error => `rejected: ${(error as Error).message}`,
                ),
          ],
        ];
        for (const [what, call] of calls) {
          const started = performance.now();
          const outcome = await call();
          const ms = Math.round(performance.now() - started);
          answers.push({ what, era, ms, outcome });
          timings.push(
            `${docs.name.padEnd(13)} ${era} ${what.padEnd(20)} ${String(
              ms,
            ).padStart(6)} ms  ${outcome.slice(0, 220)}`,
          );
        }
      } finally {
        await client.close();
      }
    }
    return answers;
  }

  /** Another tool works meanwhile: the backend keeps serving. */
  async function expectServing() {
    const client = await connectMcpClient('2026-07-28', backend!.mcpUrl, auth);
    try {
      const started = performance.now();
      const entity = await client.callTool('catalog_get_entity', {
        ref: 'checkout-service',
      });
      timings.push(
        `(meanwhile)    catalog_get_entity ${Math.round(
          performance.now() - started,
        )} ms  ${outcomeOf(entity)}`,
      );
      expect(outcomeOf(entity)).toBe('ok');
    } finally {
      await client.close();
    }
  }

  it("says that the docs could not be built, with mkdocs' error and what to do, when mkdocs fails", async () => {
    const answers = await readDocs(failing);
    for (const { what, era, ms, outcome } of answers) {
      expect({ what, era, withinBound: ms <= BOUND_MS, outcome }).toEqual({
        what,
        era,
        withinBound: true,
        outcome: expect.stringMatching(
          /The docs of component:default\/failing-docs could not be built: .*mkdocs said: ERROR - Config value "theme": Unrecognised theme name: "material"\. Calling again builds them again and fails the same way .*tell the entity's owners/,
        ),
      });
      // Where the server keeps sources and builds is not the agent's to know.
      expect(outcome).not.toMatch(/\/tmp\/|techdocs-tmp-|mcp-scratch-docs-/);
    }
    // Each read started a build: TechDocs remembers no failed build.
    expect(fakePids().length).toBe(answers.length);
    await expectServing();
  }, 120_000);

  it('says that the docs are being built and when to call again, within the build wait, when mkdocs hangs', async () => {
    const answers = await readDocs(hanging);
    for (const { what, era, ms, outcome } of answers) {
      expect({ what, era, withinBound: ms <= BOUND_MS, outcome }).toEqual({
        what,
        era,
        withinBound: true,
        outcome: expect.stringMatching(
          /The docs of component:default\/hanging-docs are being built now and were not ready within 3 seconds\. Call again in a minute/,
        ),
      });
    }
    await expectServing();
    // TechDocs neither ends a hung build nor remembers it: every read
    // started one more mkdocs, and each still runs.
    const hung = fakePids().filter(isRunning);
    timings.push(
      `hung mkdocs processes still running after ${answers.length} reads: ${hung.length}`,
    );
    expect(hung.length).toBeGreaterThan(0);
  }, 120_000);

  it('leaves no mkdocs running once the backend stops', async () => {
    expect(fakePids().length).toBeGreaterThan(0);
    // Stopping the backend ends its process group, the hung mkdocs included.
    await backend!.stop();
    // Bounded: an ended process may take a moment to be reaped.
    for (let i = 0; i < 50 && fakePids().some(isRunning); i++) {
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect({ mkdocsLeftRunning: fakePids().filter(isRunning) }).toEqual({
      mkdocsLeftRunning: [],
    });
  }, 60_000);
});
