import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { appErrorToOpenAI, type AppError } from "../../../errors";
import { log as serverLog } from "../../../ops/log";
import { geminiCliAdapter } from "./adapter";
import {
  bodyText,
  collectingSink,
  contentOf,
  geminiLlm,
  makeCall,
  MISSING_GEMINI,
  processesOf,
  readStream,
  recordFile,
  waitFor,
  type FakeRecord,
  type TestCall,
} from "./test-support";

const calls: TestCall[] = [];
afterEach(async () => {
  for (const call of calls.splice(0)) call.control.dispose();
  vi.restoreAllMocks();
});

function start(options: Parameters<typeof makeCall>[0]): TestCall {
  const call = makeCall(options);
  calls.push(call);
  return call;
}

async function failureOf(promise: Promise<unknown>): Promise<AppError & { status: number }> {
  const error = (await promise.then(
    () => null,
    (caught: unknown) => caught,
  )) as AppError | null;
  if (!error) throw new Error("expected the call to fail");
  return Object.assign(error, { status: appErrorToOpenAI(error).status });
}

function hangingRun() {
  const record = recordFile();
  const marker = `fake-gemini-marker-${Math.random().toString(36).slice(2)}`;
  const recorded = async (): Promise<FakeRecord> => {
    await waitFor(() => fs.existsSync(record.path) && record.read().grandchildPid !== null, 5000);
    return record.read();
  };
  return { words: `record-to=${record.path} marker=${marker}`, marker, recorded };
}

/** No process of the run is left, zombies included, and nothing of ours is a zombie. */
async function expectNoProcessLeft(seen: FakeRecord, marker: string): Promise<void> {
  expect(await waitFor(() => processesOf(seen, marker).length === 0)).toBe(true);
  const ours = execFileSync("ps", ["-eo", "ppid,stat"], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.trim().startsWith(`${process.pid} Z`));
  expect(ours).toEqual([]);
  expect(fs.existsSync(seen.cwd)).toBe(false);
  expect(fs.existsSync(seen.home)).toBe(false);
}

describe("timeouts kill the process group", () => {
  it("non-streaming: a CLI silent past timeoutMs gets a 504; it, its grandchild and its directory are gone", async () => {
    const log = vi.spyOn(serverLog, "error").mockImplementation(() => {});
    const run = hangingRun();
    const { call } = start({ llm: geminiLlm({ timeoutMs: 1000 }), prompt: `please hang ${run.words}` });
    const startedAt = Date.now();
    const failure = await failureOf(geminiCliAdapter.call(call));
    expect(failure).toMatchObject({ code: "upstream_timeout", status: 504 });
    expect(Date.now() - startedAt).toBeLessThan(3000);
    expect(log.mock.calls[0]![0] as unknown as Record<string, unknown>).toMatchObject({
      reason: "The upstream provider did not answer in time",
      signal: "SIGKILL",
    });
    await expectNoProcessLeft(await run.recorded(), run.marker);
  });

  it("streaming: silence after the first text ends the stream with a timeout error frame and no [DONE]", async () => {
    vi.spyOn(serverLog, "error").mockImplementation(() => {});
    const run = hangingRun();
    const { call, outcome } = start({ llm: geminiLlm({ timeoutMs: 1000 }), prompt: `hang after output ${run.words}`, stream: true });
    const { frames } = await readStream(await geminiCliAdapter.call(call));
    expect(contentOf(frames.slice(0, -1))).toBe("Hello");
    expect(frames).not.toContain("[DONE]");
    expect(JSON.parse(frames.at(-1)!)).toEqual({
      error: { message: "The upstream provider did not answer in time", type: "timeout_error", param: null, code: null },
    });
    expect(outcome.error).toBe("The upstream provider did not answer in time");
    await expectNoProcessLeft(await run.recorded(), run.marker);
  });
});

describe("a client that goes away kills the process group at once", () => {
  it("non-streaming", async () => {
    const run = hangingRun();
    const { call, client } = start({ llm: geminiLlm({ timeoutMs: 30_000 }), prompt: `please hang ${run.words}` });
    const pending = geminiCliAdapter.call(call);
    const seen = await run.recorded();
    const abortedAt = Date.now();
    client.abort();
    await failureOf(pending);
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    await expectNoProcessLeft(seen, run.marker);
  });

  it("streaming: the stream ends without an error frame or [DONE]", async () => {
    const run = hangingRun();
    const { call, client, outcome } = start({ llm: geminiLlm({ timeoutMs: 30_000 }), prompt: `hang after output ${run.words}`, stream: true });
    const result = await geminiCliAdapter.call(call);
    const collector = collectingSink();
    const streaming = readStream(result, collector);
    const seen = await run.recorded();
    expect(await waitFor(() => collector.text().includes('"content":"Hello"'))).toBe(true);
    const abortedAt = Date.now();
    client.abort();
    const { text } = await streaming;
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    expect(text).not.toContain("[DONE]");
    expect(text).not.toContain('"error"');
    expect(outcome.error).toBeNull();
    await expectNoProcessLeft(seen, run.marker);
  });

  it("streaming: a client that stopped reading and then leaves does not hold the stream open", async () => {
    const log = vi.spyOn(serverLog, "error").mockImplementation(() => {});
    const run = hangingRun();
    const { call, client } = start({ llm: geminiLlm({ timeoutMs: 30_000 }), prompt: `hang after output ${run.words}`, stream: true });
    const gone = new Promise<void>((resolve) => client.signal.addEventListener("abort", () => resolve()));
    const streaming = readStream(await geminiCliAdapter.call(call), collectingSink(gone));
    const seen = await run.recorded();
    client.abort();
    await streaming;
    await expectNoProcessLeft(seen, run.marker);
    expect(log).not.toHaveBeenCalled();
  });
});

describe("a process that escapes the group", () => {
  it("cannot hold the answer or the slot: its pipes are let go shortly after the CLI exits", async () => {
    const record = recordFile();
    const { call } = start({ llm: geminiLlm({ maxConcurrency: 1 }), prompt: `leave a daemon record-to=${record.path}` });
    const startedAt = Date.now();
    try {
      expect(JSON.parse(bodyText(await geminiCliAdapter.call(call))).choices[0].message.content).toBe("Hello there!");
      expect(Date.now() - startedAt).toBeLessThan(4000);
      const next = start({ llm: call.llm });
      expect(bodyText(await geminiCliAdapter.call(next.call))).toContain("Hello there!");
    } finally {
      const daemon = record.read().daemonPid;
      if (daemon) process.kill(daemon, "SIGKILL");
    }
  });
});

describe("per-Llm concurrency", () => {
  it("with maxConcurrency 1 a second call waits its turn and a third, past the bound, gets 429", async () => {
    const llm = geminiLlm({ maxConcurrency: 1, timeoutMs: 1600 });
    const finished: string[] = [];
    const first = geminiCliAdapter.call(start({ llm, prompt: "stream slowly" }).call).then((result) => (finished.push("first"), result));
    const second = geminiCliAdapter.call(start({ llm, prompt: "stream slowly" }).call).then((result) => (finished.push("second"), result));
    const startedAt = Date.now();
    const third = await failureOf(geminiCliAdapter.call(start({ llm, prompt: "Say hi" }).call));
    expect(third).toMatchObject({ code: "rate_limited", status: 429, retryAfterSeconds: 1 });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1500);
    expect(bodyText(await first)).toContain("part 5.");
    expect(bodyText(await second)).toContain("part 5.");
    expect(finished).toEqual(["first", "second"]);
  });
});

describe("exit codes map to OpenAI errors; stderr goes to the log only", () => {
  it.each([
    ["exit 42", 400, "invalid_request_error", /invalid input \(exit 42\)/],
    ["exit 53", 400, "invalid_request_error", /turn limit \(exit 53\)/],
    ["exit 1", 502, "api_error", /failed \(exit 1\)/],
    ["exit 7", 502, "api_error", /failed \(exit 7\)/],
    ["exit 41", 502, "api_error", /^The provider refused the API key of llm '[^']+': the Gemini CLI could not authenticate/],
    ["invalid stream", 502, "api_error", /without a complete answer/],
  ])("%s → %i %s", async (prompt, status, type, message) => {
    const log = vi.spyOn(serverLog, "error").mockImplementation(() => {});
    const { call } = start({ prompt });
    const failure = await failureOf(geminiCliAdapter.call(call));
    const { status: sent, body } = appErrorToOpenAI(failure);
    expect(sent).toBe(status);
    expect(body.error.type).toBe(type);
    expect(body.error.message).toMatch(message);
    expect(body.error.message).not.toContain("simulated");
    expect(log).toHaveBeenCalledTimes(1);
    const line = log.mock.calls[0]![0] as unknown as Record<string, unknown>;
    expect(line).toMatchObject({ msg: "gemini-cli run failed", requestId: "test-request", llm: call.llm.name });
    if (prompt.startsWith("exit")) expect(line.stderr).toContain("simulated failure");
    // A refused key is the operator's to fix: no retry helps, and it reads as the provider's refusal.
    if (prompt === "exit 41") expect(failure).toMatchObject({ code: "upstream_auth_failed", retryable: false, detailCode: null });
  });

  it("streaming: a failure before any text is a JSON error with its status, not a 200", async () => {
    vi.spyOn(serverLog, "error").mockImplementation(() => {});
    const { call } = start({ prompt: "exit 42", stream: true });
    expect(await failureOf(geminiCliAdapter.call(call))).toMatchObject({ code: "invalid_request", status: 400 });
  });

  it("streaming: a failure after text is one error frame and no [DONE]", async () => {
    vi.spyOn(serverLog, "error").mockImplementation(() => {});
    const { call, outcome } = start({ prompt: "fail after output", stream: true });
    const { frames } = await readStream(await geminiCliAdapter.call(call));
    expect(contentOf(frames.slice(0, -1))).toBe("Hello");
    expect(frames).not.toContain("[DONE]");
    expect(JSON.parse(frames.at(-1)!)).toEqual({
      error: { message: "The Gemini CLI failed (exit 1)", type: "api_error", param: null, code: "upstream_unreachable" },
    });
    expect(outcome.error).toBe("The Gemini CLI failed (exit 1)");
  });

  it("an executable that does not exist is a 502", async () => {
    vi.spyOn(serverLog, "error").mockImplementation(() => {});
    const { call } = start({ llm: geminiLlm({ geminiPath: MISSING_GEMINI }) });
    expect(await failureOf(geminiCliAdapter.call(call))).toMatchObject({
      code: "upstream_unreachable",
      status: 502,
      message: "The Gemini CLI could not be started",
    });
  });

  it("a key the CLI prints is scrubbed from the log and never reaches the client", async () => {
    const key = "AIzaLEAKY-test-key-0003";
    const log = vi.spyOn(serverLog, "error").mockImplementation(() => {});
    const { call } = start({ prompt: "leak the key", apiKey: key });
    const failure = await failureOf(geminiCliAdapter.call(call));
    expect(JSON.stringify(appErrorToOpenAI(failure).body)).not.toContain(key);
    const line = JSON.stringify(log.mock.calls[0]![0]);
    expect(line).not.toContain(key);
    expect(line).toContain("[redacted]");
  });
});
