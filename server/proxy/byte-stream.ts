import type { ChunkSink, StreamBody } from "./types";

const HIGH_WATER_CHUNKS = 16;

/**
 * A streamed response body: an async iterable of byte chunks for any consumer, with a fast path
 * (`pipeTo`) that pushes each chunk straight into a sink, e.g. the lean server's socket, without
 * a promise per chunk.
 */
export class ByteStream implements AsyncIterable<Uint8Array> {
  constructor(private readonly produce: StreamBody) {}

  pipeTo(sink: ChunkSink): Promise<void> {
    return this.produce(sink);
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const queue: Uint8Array[] = [];
    let finished = false;
    let cancelled = false;
    let failure: unknown = null;
    let wakeConsumer: (() => void) | null = null;
    let wakeProducer: (() => void) | null = null;
    const wake = () => {
      wakeConsumer?.();
      wakeConsumer = null;
    };
    const sink: ChunkSink = {
      write(chunk) {
        if (cancelled) return false;
        queue.push(chunk);
        wake();
        return queue.length < HIGH_WATER_CHUNKS;
      },
      drain: () => (cancelled || queue.length < HIGH_WATER_CHUNKS ? Promise.resolve() : new Promise<void>((resolve) => (wakeProducer = resolve))),
    };
    this.produce(sink).then(
      () => {
        finished = true;
        wake();
      },
      (error: unknown) => {
        failure = error;
        finished = true;
        wake();
      },
    );
    return {
      async next() {
        while (queue.length === 0 && !finished) await new Promise<void>((resolve) => (wakeConsumer = resolve));
        const value = queue.shift();
        if (value !== undefined) {
          if (queue.length < HIGH_WATER_CHUNKS) {
            wakeProducer?.();
            wakeProducer = null;
          }
          return { value, done: false };
        }
        if (failure) throw failure;
        return { value: undefined, done: true };
      },
      async return() {
        cancelled = true;
        wakeProducer?.();
        return { value: undefined, done: true };
      },
    };
  }
}
