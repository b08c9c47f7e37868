import fs from "node:fs";
import pino from "pino";

// Structured JSON logs on stdout (pino: `level` number, `time` epoch ms), one line per inference
// call at info. Call sites pass ids, names, statuses and timings only: never a prompt, a key, a
// token or a password (the leak-scan test reads every line).
//
// Lines are buffered and written together shortly after the first one, like audit rows: one
// synchronous write per batch instead of one per call (a write per line, handed to libuv's thread
// pool, cost a thread wake-up on every request). Whatever is pending is written on exit.
const FLUSH_DELAY_MS = 50;
const MAX_BUFFERED_CHARS = 64 * 1024;
const STDOUT = 1;

let buffered: string[] = [];
let bufferedChars = 0;
let timer: NodeJS.Timeout | null = null;

export const log = pino(
  { base: undefined },
  {
    write(line: string) {
      buffered.push(line);
      bufferedChars += line.length;
      if (bufferedChars >= MAX_BUFFERED_CHARS) flushLog();
      else if (!timer) {
        timer = setTimeout(flushLog, FLUSH_DELAY_MS);
        timer.unref();
      }
    },
  },
);

function flushLog(): void {
  if (timer) {
    clearTimeout(timer);
    timer = null;
  }
  if (buffered.length === 0) return;
  const text = Buffer.from(buffered.join(""));
  buffered = [];
  bufferedChars = 0;
  writeFully(text);
}

const pause = new Int32Array(new SharedArrayBuffer(4));

function writeFully(bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(STDOUT, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A full non-blocking pipe: wait for the reader. A closed one: nobody is reading, drop the lines.
      if (code === "EAGAIN") Atomics.wait(pause, 0, 0, 10);
      else if (code === "EPIPE") return;
      else throw error;
    }
  }
}

process.on("exit", flushLog);
