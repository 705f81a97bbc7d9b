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
    ['finish updated', ['event: finish\ndata: {"updated":true}\n\n'], { status: 'updated' }],
    ['finish not updated', ['event: finish\ndata: {"updated":false}\n\n'], { status: 'unchanged' }],
    ['an error', ['event: error\ndata: "Failed to build"\n\n'], { status: 'failed', message: 'Failed to build' }],
    [
      'logs first, split across chunks, with CRLF',
      ['event: log\r\ndata: "Step 1', ' of 3"\r\n\r\nevent: fin', 'ish\r\ndata: {"updated":true}\r\n\r\n'],
      { status: 'updated' },
    ],
    ['a stream that ends without a result', ['event: log\ndata: "Step 1 of 3"\n\n'], {
      status: 'failed',
      message: 'The TechDocs backend ended the build stream without a result',
    }],
  ])('reads %s', async (_name, chunks, outcome) => {
    await expect(readSyncOutcome(streamed(chunks))).resolves.toEqual(outcome);
  });

  it('cuts long build messages', async () => {
    const outcome = await readSyncOutcome(streamed([`event: error\ndata: ${JSON.stringify('x'.repeat(2000))}\n\n`]));
    expect(outcome).toEqual({ status: 'failed', message: 'x'.repeat(500) });
  });
});
