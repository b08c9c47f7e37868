import { log } from "../../../ops/log";
import { AppError } from "../../../errors";
import { scrubSecrets } from "../scrub";
import type { UpstreamCall } from "../types";
import { startGeminiChild, type GeminiChild } from "./child";
import { acquireSlot, busyError } from "./concurrency";
import { newOutcome, observe, parseCliEvent, type CliOutcome } from "./events";
import { getConfig } from "../../../config";
import { resolveGeminiCommand } from "./executable";
import { runFailure, timedOut } from "./failure";

export const DEFAULT_MAX_CONCURRENCY = 4;
export const MAX_QUEUE_WAIT_MS = 30_000;

export interface GeminiRun {
  /** The assistant's text as the CLI writes it; ends when the child's stdout closes. */
  texts: AsyncIterator<string>;
  outcome: CliOutcome;
  /** Settles once the child is gone (and its slot free): the error to report, or null. */
  finished: Promise<AppError | null>;
  /** Kills the run because its answer is no longer wanted (not a failure to log). */
  stop(): void;
}

/**
 * The CLI's arguments. `--prompt` forces headless mode and the CLI appends its text to stdin, where the
 * prompt goes (argv is readable by every local user and one argument is limited to 128 KiB), so it stays empty.
 * Never `--yolo` nor `--approval-mode`: tools are off, and nothing is approved automatically.
 */
export function cliArguments(model: string): string[] {
  // `--model=…` in one argument: a model id can never be read as a flag of its own.
  return ["--output-format", "stream-json", `--model=${model}`, "--prompt", ""];
}

/** Waits for a slot of the Llm, then starts the CLI; the slot is held until the child is gone. */
export async function startRun(call: UpstreamCall, prompt: string): Promise<GeminiRun> {
  const { control, llm } = call;
  const limit = llm.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  let release: () => void;
  try {
    release = await acquireSlot(llm.name, limit, Math.min(MAX_QUEUE_WAIT_MS, llm.timeoutMs ?? MAX_QUEUE_WAIT_MS), control.signal);
  } catch (error) {
    // The idle timer runs while queued too; a request that never got a slot is refused as busy.
    if (timedOut(control)) throw busyError(llm.name, limit);
    throw control.upstreamError(error);
  }
  control.touch();
  let child: GeminiChild;
  try {
    child = await startGeminiChild({
      command: resolveGeminiCommand(llm.geminiPath, getConfig().geminiPaths),
      args: cliArguments(llm.model),
      apiKey: call.apiKey,
      prompt,
      onOutput: () => control.touch(),
    });
  } catch (error) {
    release();
    logFailure(call, { reason: "could not prepare the working directory", error: String(error) });
    throw new AppError("upstream_unreachable", "The Gemini CLI could not be started");
  }
  const onAbort = () => child.kill();
  control.signal.addEventListener("abort", onAbort, { once: true });
  if (control.signal.aborted) child.kill();

  const outcome = newOutcome();
  let stopped = false;
  const finished = child.exit.then((exit) => {
    control.signal.removeEventListener("abort", onAbort);
    release();
    const failure = runFailure(exit, outcome, control, llm.name);
    if (failure && !control.clientGone && !stopped) {
      const cliError = outcome.result?.error ? `${outcome.result.error.type}: ${outcome.result.error.message}` : outcome.lastError;
      logFailure(call, {
        reason: failure.message,
        exitCode: exit.code,
        signal: exit.signal,
        spawnError: exit.spawnError,
        cliError: cliError === null ? null : scrubSecrets(cliError, call.apiKey),
        stderr: scrubSecrets(exit.stderr.slice(-2000), call.apiKey),
      });
    }
    return failure;
  });
  const stop = () => {
    stopped = true;
    child.kill();
  };
  return { texts: assistantTexts(child, outcome), outcome, finished, stop };
}

async function* assistantTexts(child: GeminiChild, outcome: CliOutcome): AsyncGenerator<string> {
  for await (const line of child.lines) {
    const event = parseCliEvent(line);
    const text = event ? observe(outcome, event) : null;
    if (text) yield text;
  }
}

/** The CLI's stderr and errors go to the server log only, scrubbed; clients get the mapped error. */
function logFailure(call: UpstreamCall, details: Record<string, unknown>): void {
  log.error({ msg: "gemini-cli run failed", requestId: call.requestId, llm: call.llm.name, ...details });
}
