import pino from "pino";

// Structured JSON logs on stdout (pino: `level` number, `time` epoch ms), one line per inference
// call at info. Call sites pass ids, names, statuses and timings only: never a prompt, a key, a
// token or a password (the leak-scan test reads every line).
export const log = pino({ base: undefined });
