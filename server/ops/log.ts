import pino from "pino";

// Structured JSON logs on stdout, one line per inference call at info. Call sites pass ids,
// names, statuses and timings only: never a prompt, a key, a token or a password.
export const log = pino({
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  redact: { paths: ["authorization", "cookie", "apiKey", "token", "password", "*.authorization", "*.apiKey"], censor: "[redacted]" },
});
