// HttpWatchStream on a scripted body: backpressure bounds the decoded backlog; errors follow earlier events.

import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { WatchDecodeError } from '../../src/client/errors.ts';
import type { StreamResponse } from '../../src/client/transport.ts';
import { HttpWatchStream } from '../../src/client/http-watch-stream.ts';
import { configMap, line} from './helpers.ts';
import { eventually } from '../helpers.ts';

function scripted(): { body: PassThrough; open: () => Promise<StreamResponse>; aborted: () => boolean } {
  const body = new PassThrough();
  let aborted = false;
  const response: StreamResponse = {
    statusCode: 200,
    body: body as unknown as IncomingMessage,
    abort: () => {
      aborted = true;
      body.destroy();
    },
  };
  return { body, open: () => Promise.resolve(response), aborted: () => aborted };
}

void describe('HttpWatchStream', () => {
  void it('pauses the body while thousands of decoded events wait, and resumes once the consumer catches up', async () => {
    const { body, open } = scripted();
    const stream = new HttpWatchStream<unknown>(open, {});
    const first = stream.next();
    const burst = Array.from({ length: 6000 }, (_, i) => line('ADDED', configMap(`cm-${i}`, String(i + 2)))).join('');
    body.write(burst);
    await first;
    await eventually(() => body.isPaused(), 'the body to be paused');
    let received = 1;
    while (received < 4000) {
      await stream.next();
      received++;
    }
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(body.isPaused(), 'still paused while 2,000 decoded events wait');
    while (received < 5500) {
      await stream.next();
      received++;
    }
    await eventually(() => !body.isPaused(), 'the body to resume once the consumer caught up');
    body.end();
    for (let next = await stream.next(); next.done !== true; next = await stream.next()) received++;
    assert.equal(received, 6000);
  });

  void it('pauses the body for the rest of a turn once decoding in that turn has used its time slice', async () => {
    const { body, open } = scripted();
    // Each reading of this clock is 1 ms later: the 5 ms slice is spent after a few chunks.
    let steps = 0;
    const stream = new HttpWatchStream<unknown>(open, { now: () => steps++ });
    const first = stream.next();
    body.write(line('ADDED', configMap('cm-0', '2')));
    await first;
    for (let i = 1; i < 50; i++) body.write(line('ADDED', configMap(`cm-${i}`, String(i + 2))));
    await eventually(() => body.isPaused(), 'the body to pause within the turn');
    let decodedBeforeTheTurnEnded = 0;
    while (stream.takeBuffered() !== undefined) decodedBeforeTheTurnEnded++;
    assert.ok(decodedBeforeTheTurnEnded < 49, `decoded ${decodedBeforeTheTurnEnded} of 49 chunks in one turn`);
    await eventually(() => !body.isPaused(), 'the body to resume on the next turn');
    let received = 1 + decodedBeforeTheTurnEnded;
    body.end();
    for (let next = await stream.next(); next.done !== true; next = await stream.next()) received++;
    assert.equal(received, 50);
  });

  void it('delivers the events before a bad line, then rejects, then is done, and aborts the request', async () => {
    const { body, open, aborted } = scripted();
    const stream = new HttpWatchStream<unknown>(open, {});
    const first = stream.next();
    body.write(`${line('ADDED', configMap('a', '2'))}${line('ADDED', configMap('b', '3'))}not json\n`);
    assert.equal((await first).done, false);
    assert.equal((await stream.next()).done, false);
    await assert.rejects(stream.next(), WatchDecodeError);
    assert.deepEqual(await stream.next(), { done: true, value: undefined });
    assert.ok(aborted());
  });

  void it('rejects a second next() issued while the first is still waiting', async () => {
    const { open } = scripted();
    const stream = new HttpWatchStream<unknown>(open, {});
    const first = stream.next();
    await assert.rejects(stream.next(), /another next\(\) is pending/);
    await stream.return();
    assert.deepEqual(await first, { done: true, value: undefined });
  });
});
