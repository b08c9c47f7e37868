import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import type { LlmView } from "../../../llms/schemas";
import { CallControl } from "../../call-control";
import type { ChatRequest } from "../../request-body";
import type { ChunkSink } from "../../types";
import { newAttemptOutcome, type AttemptOutcome, type UpstreamCall, type UpstreamResult } from "../types";

export const FAKE_GEMINI = path.join(path.dirname(new URL(import.meta.url).pathname), "__fixtures__", "fake-gemini.mjs");
export const MISSING_GEMINI = "/nonexistent/gemini";

export function geminiLlm(overrides: Partial<LlmView> = {}): LlmView {
  return {
    name: `gem-${Math.random().toString(36).slice(2, 8)}`,
    provider: "gemini-cli",
    model: "gemini-2.5-flash",
    url: null,
    effectiveUrl: null,
    keyOrigin: "https://generativelanguage.googleapis.com",
    capabilities: { sampling: "one", structuredOutputs: true },
    apiKeyRef: { secret: "gemini", key: "api_key" },
    description: null,
    defaults: {},
    timeoutMs: 5000,
    streamUsage: true,
    geminiPath: FAKE_GEMINI,
    maxConcurrency: 2,
    pricing: null,
    routing: null,
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

export interface TestCall {
  call: UpstreamCall;
  outcome: AttemptOutcome;
  client: AbortController;
  control: CallControl;
}

/** An UpstreamCall as the pipeline builds it, with a real CallControl on the Llm's idle timeout. */
export function makeCall(options: {
  llm?: LlmView;
  messages?: ChatRequest["messages"];
  prompt?: string;
  stream?: boolean;
  includeUsage?: boolean;
  apiKey?: string | null;
  request?: Partial<ChatRequest>;
}): TestCall {
  const llm = options.llm ?? geminiLlm();
  const client = new AbortController();
  const control = new CallControl(client.signal, llm.timeoutMs ?? 5000);
  const outcome: AttemptOutcome = newAttemptOutcome();
  const request = {
    messages: options.messages ?? [{ role: "user", content: options.prompt ?? "Say hi" }],
    stream: options.stream ?? false,
    ...options.request,
  } as ChatRequest;
  const call: UpstreamCall = {
    requestId: "test-request",
    llm,
    baseUrl: "",
    apiKey: options.apiKey === undefined ? "AIzaTEST-gateway-key-0001" : options.apiKey,
    request,
    stream: options.stream ?? false,
    clientWantsUsage: options.includeUsage ?? false,
    control,
    outcome,
  };
  return { call, outcome, client, control };
}

export function bodyText(result: UpstreamResult): string {
  if (result.kind !== "complete") throw new Error("expected a complete answer");
  return new TextDecoder().decode(result.body);
}

export interface CollectingSink {
  sink: ChunkSink;
  /** Each chunk written, with the time it was written. */
  writes: { at: number; text: string }[];
  text(): string;
}

/** A client that reads everything at once, or, with `blockedUntil`, one that stops reading until it resolves. */
export function collectingSink(blockedUntil?: Promise<void>): CollectingSink {
  const writes: { at: number; text: string }[] = [];
  const sink: ChunkSink = {
    write(chunk) {
      writes.push({ at: Date.now(), text: new TextDecoder().decode(chunk) });
      return blockedUntil === undefined;
    },
    drain: () => blockedUntil ?? Promise.resolve(),
  };
  return { sink, writes, text: () => writes.map((write) => write.text).join("") };
}

/** Runs a stream answer to its end; `frames` are the `data:` payloads in order. */
export async function readStream(result: UpstreamResult, collector = collectingSink()): Promise<{ text: string; frames: string[] }> {
  if (result.kind !== "stream") throw new Error("expected a stream");
  await result.body(collector.sink);
  const text = collector.text();
  return {
    text,
    frames: text
      .split("\n\n")
      .filter(Boolean)
      .map((frame) => frame.replace(/^data: /, "")),
  };
}

export function contentOf(frames: string[]): string {
  return frames
    .filter((frame) => frame !== "[DONE]")
    .map((frame) => JSON.parse(frame) as { choices?: { delta?: { content?: string } }[] })
    .map((chunk) => chunk.choices?.[0]?.delta?.content ?? "")
    .join("");
}

let recordDirectory: string | null = null;
afterAll(() => {
  if (recordDirectory) fs.rmSync(recordDirectory, { recursive: true, force: true });
  recordDirectory = null;
});

/** A file the fake CLI writes what it saw to (`record-to=` in the prompt); removed after the test file. */
export function recordFile(): { path: string; read: () => FakeRecord } {
  recordDirectory ??= fs.mkdtempSync(path.join(os.tmpdir(), "gw-gemini-test-"));
  const file = path.join(fs.mkdtempSync(path.join(recordDirectory, "run-")), "record.json");
  return { path: file, read: () => JSON.parse(fs.readFileSync(file, "utf8")) as FakeRecord };
}

export interface FakeRecord {
  argv: string[];
  cwd: string;
  cwdEntries: string[];
  env: Record<string, string>;
  home: string;
  settings: { tools?: { core?: string[]; exclude?: string[] }; security?: Record<string, unknown> } | null;
  workspaceSettings: unknown;
  /** The env file the CLI would load (the fake follows its lookup), and its text. */
  envFile: string | null;
  envFileText: string | null;
  policies: Record<string, string>;
  pid: number;
  processGroup: number;
  prompt: string;
  grandchildPid: number | null;
  daemonPid: number | null;
}

/** Lines of the process table that belong to a run: its process group, its pid, or a marker in the command. */
export function processesOf(record: { pid: number; processGroup: number }, marker?: string): string[] {
  const table = execFileSync("ps", ["-eo", "pid,pgid,stat,args"], { encoding: "utf8" }).split("\n").slice(1);
  return table.filter((line) => {
    const [pid, group] = line.trim().split(/\s+/).map(Number);
    return pid === record.pid || group === record.processGroup || (marker !== undefined && line.includes(marker));
  });
}

export async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}
