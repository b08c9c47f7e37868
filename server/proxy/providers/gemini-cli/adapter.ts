import { randomUUID } from "node:crypto";
import type { ChunkSink } from "../../types";
import type { AttemptOutcome, ProviderAdapter, UpstreamCall, UpstreamResult } from "../types";
import { usageFromResult, type CliOutcome } from "./events";
import { appErrorFrame, chatCompletion, chunkFrame, DONE_FRAME, openaiUsage, SSE_HEADERS, usageFrame, type AnswerIdentity } from "../../openai-wire";
import { buildPrompt } from "./prompt";
import { startRun, type GeminiRun } from "./run";

const encoder = new TextEncoder();

/** gemini-cli: one sandboxed CLI run per request, its stream-json events mapped to OpenAI. */
export const geminiCliAdapter: ProviderAdapter = {
  async call(call: UpstreamCall): Promise<UpstreamResult> {
    const prompt = buildPrompt(call.request);
    const run = await startRun(call, prompt);
    return call.stream ? startStream(run, call) : completeAnswer(run, call);
  },
};

async function completeAnswer(run: GeminiRun, call: UpstreamCall): Promise<UpstreamResult> {
  let text = "";
  try {
    for (let next = await run.texts.next(); !next.done; next = await run.texts.next()) text += next.value;
  } catch (error) {
    run.stop();
    await run.finished;
    throw call.control.upstreamError(error);
  }
  const failure = await run.finished;
  absorbOutcome(call.outcome, run.outcome);
  if (failure) throw failure;
  const body = chatCompletion(identity(run, call), text, call.outcome.usage);
  return { kind: "complete", status: 200, headers: { "content-type": "application/json" }, body: encoder.encode(JSON.stringify(body)) };
}

/** Holds the 200 until the first text or the end, so a run that fails before answering gets a JSON error with its status. */
async function startStream(run: GeminiRun, call: UpstreamCall): Promise<UpstreamResult> {
  let first: IteratorResult<string>;
  try {
    first = await run.texts.next();
  } catch (error) {
    run.stop();
    await run.finished;
    throw call.control.upstreamError(error);
  }
  if (first.done) {
    const failure = await run.finished;
    absorbOutcome(call.outcome, run.outcome);
    if (failure) throw failure;
  }
  return { kind: "stream", headers: { ...SSE_HEADERS }, body: (sink) => streamAnswer(run, call, first, sink) };
}

async function streamAnswer(run: GeminiRun, call: UpstreamCall, first: IteratorResult<string>, sink: ChunkSink): Promise<void> {
  const answer = identity(run, call);
  const includeUsage = call.clientWantsUsage;
  const send = async (frame: string) => {
    if (!sink.write(encoder.encode(frame))) await sink.drain();
  };
  try {
    await send(chunkFrame(answer, { role: "assistant", content: "" }, null, includeUsage));
    for (let next = first; !next.done; next = await run.texts.next()) await send(chunkFrame(answer, { content: next.value }, null, includeUsage));
    const failure = await run.finished;
    absorbOutcome(call.outcome, run.outcome);
    if (failure) {
      if (call.control.clientGone) {
        call.outcome.clientLeft = true;
        return;
      }
      call.outcome.error = failure.message;
      // An error frame and no [DONE], so a client cannot take a truncated answer for a whole one.
      sink.write(encoder.encode(appErrorFrame(failure)));
      return;
    }
    await send(chunkFrame(answer, {}, "stop", includeUsage));
    if (includeUsage && call.outcome.usage) await send(usageFrame(answer, openaiUsage(call.outcome.usage)));
    sink.write(encoder.encode(DONE_FRAME));
  } finally {
    // Whatever ended the stream, the process group is gone before the call is audited.
    run.stop();
    await run.finished;
    absorbOutcome(call.outcome, run.outcome);
  }
}

function identity(run: GeminiRun, call: UpstreamCall): AnswerIdentity {
  return { id: `chatcmpl-${randomUUID()}`, created: Math.floor(Date.now() / 1000), model: run.outcome.model ?? call.llm.model };
}

function absorbOutcome(attempt: AttemptOutcome, outcome: CliOutcome): void {
  attempt.model = outcome.model;
  attempt.usage = outcome.result ? usageFromResult(outcome.result) : null;
}
