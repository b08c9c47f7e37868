import pino from "pino";

// Structured JSON logs on stdout (pino: `level` number, `time` epoch ms), one line per inference
// call at info. Call sites pass ids, names, statuses and timings only: never a prompt, a key, a
// token or a password (the leak-scan test reads every line).
//
// Lines are buffered and written together shortly after the first one, like audit rows: one
// synchronous write per batch instead of one per call (a write per line, handed to libuv's thread
// pool, cost a thread wake-up on every request). flushLog() runs at shutdown and on exit.
const FLUSH_DELAY_MS = 50;

const destination = pino.destination({ dest: 1, sync: true, minLength: 8 * 1024 });
let timer: NodeJS.Timeout | null = null;

export const log = pino(
  { base: undefined },
  {
    write(line: string) {
      destination.write(line);
      if (timer) return;
      timer = setTimeout(flushLog, FLUSH_DELAY_MS);
      timer.unref();
    },
  },
);

export function flushLog(): void {
  if (timer) {
    clearTimeout(timer);
    timer = null;
  }
  destination.flushSync();
}

process.on("exit", flushLog);
