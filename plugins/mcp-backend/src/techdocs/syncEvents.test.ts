import { readSyncOutcome } from './syncEvents';

function streamed(chunks: string[]) {
  const encoder = new TextEncoder();
  return new Response(
    new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    }),
  );
}

describe('readSyncOutcome', () => {
  it.each([
    [
      'finish updated',
      ['event: finish\ndata: {"updated":true}\n\n'],
      { status: 'updated' },
    ],
    [
      'finish not updated',
      ['event: finish\ndata: {"updated":false}\n\n'],
      { status: 'unchanged' },
    ],
    [
      'an error',
      ['event: error\ndata: "Failed to build"\n\n'],
      { status: 'failed', message: 'Failed to build' },
    ],
    [
      'logs first, split across chunks, with CRLF',
      [
        'event: log\r\ndata: "Step 1',
        ' of 3"\r\n\r\nevent: fin',
        'ish\r\ndata: {"updated":true}\r\n\r\n',
      ],
      { status: 'updated' },
    ],
    [
      'a stream that ends without a result',
      ['event: log\ndata: "Step 1 of 3"\n\n'],
      {
        status: 'failed',
        message: 'The TechDocs backend ended the build stream without a result',
      },
    ],
  ])('reads %s', async (_name, chunks, outcome) => {
    await expect(readSyncOutcome(streamed(chunks))).resolves.toEqual(outcome);
  });

  it("keeps mkdocs' last error lines of the build log for a failed build", async () => {
    const log = (text: string) =>
      `event: log\ndata: ${JSON.stringify(text)}\n\n`;
    const outcome = await readSyncOutcome(
      streamed([
        log('\u001b[31merror\u001b[39m: Failed to build the docs page'),
        log(
          'INFO    -  Cleaning site directory\nWARNING -  A relative path is not found',
        ),
        ...Array.from({ length: 6 }, (_, i) =>
          log(`ERROR   -  Error ${i + 1}`),
        ),
        log(`\u001b[31mERROR\u001b[0m   -  ${'x'.repeat(400)}`),
        'event: error\ndata: "Command mkdocs failed, exit code: 1"\n\n',
      ]),
    );
    expect(outcome).toEqual({
      status: 'failed',
      message: 'Command mkdocs failed, exit code: 1',
      buildErrors: [
        'ERROR - Error 3',
        'ERROR - Error 4',
        'ERROR - Error 5',
        'ERROR - Error 6',
        `ERROR - ${'x'.repeat(292)}`,
      ],
    });
  });

  it('cuts long build messages', async () => {
    const outcome = await readSyncOutcome(
      streamed([`event: error\ndata: ${JSON.stringify('x'.repeat(2000))}\n\n`]),
    );
    expect(outcome).toEqual({ status: 'failed', message: 'x'.repeat(500) });
  });
});
