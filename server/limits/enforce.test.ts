import { rows } from "../../db/program";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callInference, type InferenceAnswer } from "../../tests/helpers/inference";
import { ADMIN_CONTEXT, auditRows, currentStore, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { openaiCompletion, sendJson, sleep, startFakeUpstream, type FakeUpstream } from "../../tests/helpers/fake-upstream";
import { INFERENCE_EVENT } from "../audit/types";
import { createBinding } from "../bindings/create";
import { createLlm } from "../llms/create";
import { createSecret } from "../secrets/create";
import { createToken } from "../tokens/create";
import { createUser } from "../users/create";
import { handleApiRoute } from "../proxy/models";
import { flushAllAudit } from "../audit/writer";
import { createLimit } from "./create";
import { removeLimit } from "./remove";
import { flushLimitMeters } from "./meter";
import { LIMIT_METRICS, LIMIT_WINDOWS, type CreateLimitInput, type LimitMetric, type LimitScope, type LimitWindow } from "./schemas";

// Every call the fake provider answers uses 5 prompt and 5 completion tokens; a request asking for
// max_tokens 5 with the one-word prompt below is estimated at exactly that, so a limit of three
// calls' worth admits three calls and refuses the fourth.
const USAGE = { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 };
// gpt-4o in the bundled price table: $2.50 in, $10 out per million tokens.
const CALL_COST = (5 * 2.5 + 5 * 10) / 1e6;
const PER_CALL: Record<Exclude<LimitMetric, "concurrent">, number> = {
  requests: 1,
  input_tokens: 5,
  output_tokens: 5,
  total_tokens: 10,
  cost_usd: CALL_COST,
};

let upstream: FakeUpstream;
/** Calls the provider holds until released (concurrency tests). */
let held: Array<() => void> = [];
let holdCalls = false;
let failWith: number | null = null;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  upstream.handle(async (request, response) => {
    if (holdCalls) await new Promise<void>((resolve) => held.push(resolve));
    if (request.url.startsWith("/silent")) return void (await request.closed);
    if (failWith !== null) return sendJson(response, failWith, { error: { message: "upstream trouble", type: "server_error" } });
    if (request.json?.stream) {
      response.writeHead(200, { "content-type": "text/event-stream" });
      const base = { id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
      response.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: "hel" }, finish_reason: null }] })}\n\n`);
      await new Promise<void>((resolve) => held.push(resolve));
      response.write(`data: ${JSON.stringify({ ...base, choices: [], usage: USAGE })}\n\n`);
      return void response.end("data: [DONE]\n\n");
    }
    sendJson(response, 200, { ...openaiCompletion("ok", "gpt-4o"), usage: USAGE });
  });
});
afterAll(() => upstream?.close());

function releaseHeld(): void {
  for (const release of held.splice(0)) release();
}

/** One call through the proxy pipeline, read to the end, then audited (and so settled). */
function call(token: string, options: { llm?: string; maxTokens?: number; signal?: AbortSignal; stream?: boolean } = {}): Promise<InferenceAnswer> {
  const body = { messages: [{ role: "user", content: "hi" }], max_tokens: options.maxTokens ?? 5, stream: options.stream ?? false };
  return callInference(currentStore(), token, options.llm ?? "gpt", body, { signal: options.signal });
}

const limit = (input: CreateLimitInput) => createLimit({ ctx: ADMIN_CONTEXT, input });

/** Waits out the last seconds of a window, so a test's calls all fall in one. */
async function awayFromWindowEnd(window: LimitWindow | null): Promise<void> {
  if (window !== "minute") return;
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 55_000) await sleep(60_000 - intoMinute + 50);
}

describe("limits are enforced", () => {
  useFreshDatabase();
  let alice: string;
  let aliceToken2: string;
  let bob: string;
  let tokenPrefix: string;

  beforeEach(async () => {
    held = [];
    holdCalls = false;
    failWith = null;
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "openai", values: { api_key: "sk-limits-test" } } });
    const key = { secret: "openai", key: "api_key" };
    await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "gpt", provider: "openai", model: "gpt-4o", url: `${upstream.url}/v1`, apiKeyRef: key } });
    await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "mini", provider: "openai", model: "gpt-4o", url: `${upstream.url}/v1`, apiKeyRef: key } });
    await createLlm({
      ctx: ADMIN_CONTEXT,
      input: { name: "silent", provider: "openai", model: "gpt-4o", url: `${upstream.url}/silent/v1`, apiKeyRef: key, timeoutMs: 1000 },
    });
    for (const name of ["alice", "bob"]) {
      await createUser({ ctx: ADMIN_CONTEXT, input: { name, password: `${name}-password` } });
      await createBinding({ ctx: ADMIN_CONTEXT, input: { user: name, role: "run", resource: "llms" } });
    }
    const created = await createToken({ ctx: ADMIN_CONTEXT, input: { user: "alice", name: "first" } });
    alice = created.token;
    tokenPrefix = created.prefix;
    aliceToken2 = (await createToken({ ctx: ADMIN_CONTEXT, input: { user: "alice", name: "second" } })).token;
    bob = (await createToken({ ctx: ADMIN_CONTEXT, input: { user: "bob" } })).token;
  });

  it("every metric, window and scope admits up to its max and refuses the call past it", async () => {
    const scopes: Array<{ name: string; scope: () => LimitScope; other: () => { token: string; llm?: string } }> = [
      { name: "user", scope: () => ({ user: "alice" }), other: () => ({ token: bob }) },
      { name: "user on llm", scope: () => ({ user: "alice", llm: "gpt" }), other: () => ({ token: alice, llm: "mini" }) },
      { name: "token", scope: () => ({ token: tokenPrefix }), other: () => ({ token: aliceToken2 }) },
      { name: "llm", scope: () => ({ llm: "gpt" }), other: () => ({ token: alice, llm: "mini" }) },
      { name: "default", scope: () => ({ default: true }), other: () => ({ token: bob }) },
    ];
    const metrics = LIMIT_METRICS.filter((metric) => metric !== "concurrent") as Array<keyof typeof PER_CALL>;
    let checked = 0;
    for (const window of LIMIT_WINDOWS) {
      for (const metric of metrics) {
        for (const { name, scope, other } of scopes) {
          await awayFromWindowEnd(window);
          const created = await limit({ scope: scope(), metric, window, max: 3 * PER_CALL[metric] });
          const calls = upstream.requests.length;
          for (let index = 0; index < 3; index += 1) expect((await call(alice)).status, `${name} ${metric} ${window} call ${index + 1}`).toBe(200);
          const refused = await call(alice);
          expect(refused.status, `${name} ${metric} ${window}`).toBe(429);
          expect(upstream.requests.length, `${name} ${metric} ${window}: refused calls never reach the provider`).toBe(calls + 3);
          const quota = metric !== "requests" && (window === "day" || window === "month");
          expect(refused.json?.error).toMatchObject({
            type: quota ? "insufficient_quota" : "rate_limit_exceeded",
            code: quota ? "insufficient_quota" : "rate_limit_exceeded",
          });
          expect(refused.json?.error?.message).toContain(`${metric} per ${window} ≤ ${3 * PER_CALL[metric]}`);
          const retryAfter = Number(refused.headers["retry-after"]);
          const windowSeconds = { minute: 60, hour: 3600, day: 86_400, month: 31 * 86_400 }[window];
          expect(retryAfter).toBeGreaterThanOrEqual(1);
          expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
          // What the limit does not count is not refused: another user, token or Llm.
          const elsewhere = other();
          expect((await call(elsewhere.token, { llm: elsewhere.llm })).status, `${name} ${metric} ${window} elsewhere`).toBe(200);
          await removeLimit({ ctx: ADMIN_CONTEXT, input: { id: created.id } });
          checked += 1;
        }
      }
    }
    expect(checked).toBe(LIMIT_WINDOWS.length * metrics.length * scopes.length);
  });

  it("a default limit counts each user on their own", async () => {
    await limit({ scope: { default: true }, metric: "requests", window: "day", max: 2 });
    for (const token of [alice, alice, bob, bob]) expect((await call(token)).status).toBe(200);
    expect((await call(alice)).status).toBe(429);
    expect((await call(bob)).status).toBe(429);
  });

  it("the tightest limit decides, and the headers describe it", async () => {
    await limit({ scope: { user: "alice" }, metric: "requests", window: "day", max: 5 });
    await limit({ scope: { default: true }, metric: "requests", window: "hour", max: 2 });
    await limit({ scope: { user: "alice" }, metric: "total_tokens", window: "day", max: 1000 });
    const first = await call(alice);
    expect(first.status).toBe(200);
    expect(first.headers).toMatchObject({ "x-ratelimit-limit-requests": "2", "x-ratelimit-remaining-requests": "1", "x-ratelimit-limit-tokens": "1000" });
    // 1000 less this call's reservation (5 + 5 tokens).
    expect(first.headers["x-ratelimit-remaining-tokens"]).toBe("990");
    expect(first.headers["x-ratelimit-reset-requests"]).toMatch(/^(\d+m)?\d+s$/);
    expect(first.headers["x-ratelimit-reset-tokens"]).toMatch(/^(\d+h)?(\d+m)?\d+s$/);
    expect((await call(alice)).headers["x-ratelimit-remaining-requests"]).toBe("0");
    const refused = await call(alice);
    expect(refused.status).toBe(429);
    expect(refused.json?.error?.message).toMatch(/^Limit reached: every user: requests per hour ≤ 2\. Try again in (\d+m)?\d+s\.$/);
    expect(refused.headers["x-ratelimit-remaining-requests"]).toBe("0");
    const [row] = (await auditRows()).filter((entry) => entry.event === INFERENCE_EVENT);
    expect(row).toMatchObject({ status: 429, user: "alice", llm: "gpt", error: refused.json!.error!.message });
  });

  it("a request whose own estimate exceeds a limit is refused as never fitting, with no Retry-After", async () => {
    await limit({ scope: { user: "alice" }, metric: "output_tokens", window: "day", max: 100 });
    const refused = await call(alice, { maxTokens: 101 });
    expect(refused.status).toBe(429);
    expect(refused.json?.error?.message).toBe(
      "This request can never fit the limit user alice: output_tokens per day ≤ 100: it may use up to 101 output_tokens (estimated from its prompt and max_tokens). Lower max_tokens or shorten the prompt.",
    );
    expect(refused.headers["retry-after"]).toBeUndefined();
    expect(refused.headers["x-should-retry"]).toBe("false");
    expect((await call(alice, { maxTokens: 100 })).status).toBe(200);
  });

  it("a reservation far above what the call used is settled, so the next call fits", async () => {
    await limit({ scope: { user: "alice" }, metric: "total_tokens", window: "day", max: 1000 });
    // Reserves 5 + 900 tokens; uses 10.
    expect((await call(alice, { maxTokens: 900 })).status).toBe(200);
    expect((await call(alice, { maxTokens: 900 })).status).toBe(200);
    expect((await call(alice, { maxTokens: 900 })).headers["x-ratelimit-remaining-tokens"]).toBe(String(1000 - 20 - 905));
  });

  it("a concurrency slot is held while a call runs and given back by every ending", async () => {
    await limit({ scope: { user: "alice" }, metric: "concurrent", max: 1 });
    holdCalls = true;
    const running = call(alice);
    while (held.length === 0) await sleep(5);
    const refused = await call(alice);
    expect(refused.status).toBe(429);
    expect(refused.json?.error).toMatchObject({ type: "rate_limit_exceeded", code: "rate_limit_exceeded" });
    expect(refused.json?.error?.message).toBe("Limit reached: user alice: concurrent ≤ 1. Try again when a call in flight ends.");
    expect(refused.headers["retry-after"]).toBe("1");
    releaseHeld();
    holdCalls = false;
    expect((await running).status).toBe(200);
    // Success gave it back; so does an upstream error, a timeout and a client that leaves mid-stream.
    failWith = 500;
    expect((await call(alice)).status).toBe(500);
    failWith = null;
    expect((await call(alice, { llm: "silent" })).status).toBe(504);
    const client = new AbortController();
    const streaming = call(alice, { stream: true, signal: client.signal });
    while (held.length === 0) await sleep(5);
    expect((await call(alice)).status).toBe(429);
    client.abort();
    expect((await streaming).status).toBe(200);
    releaseHeld();
    const [cut] = (await auditRows()).filter((row) => row.event === INFERENCE_EVENT && row.streaming);
    expect(cut?.status).toBe(499);
    expect((await call(alice)).status).toBe(200);
  });

  it("streamed calls count like any other: their usage settles the budget", async () => {
    await limit({ scope: { user: "alice" }, metric: "total_tokens", window: "day", max: 20 });
    const streamed = async () => {
      const answer = call(alice, { stream: true });
      while (held.length === 0) await sleep(5);
      releaseHeld();
      return answer;
    };
    expect((await streamed()).status).toBe(200);
    expect((await streamed()).status).toBe(200);
    // 10 + 10 tokens reported in the streams' usage chunks: the budget is spent.
    const refused = await call(alice, { stream: true });
    expect(refused.status).toBe(429);
    expect(refused.json?.error?.code).toBe("insufficient_quota");
  });

  it("budgets announce 80% and 100% once per window", async () => {
    await limit({ scope: { user: "alice" }, metric: "total_tokens", window: "day", max: 26 });
    // 10 and 20 tokens: past 80% of 26.
    await call(alice);
    await call(alice);
    await flushLimitMeters();
    // Reserves 5 + 1 (26 in all), uses 10: past 100%.
    expect((await call(alice, { maxTokens: 1 })).status).toBe(200);
    await flushLimitMeters();
    expect((await call(alice, { maxTokens: 1 })).status).toBe(429);
    await flushLimitMeters();
    const events = (await auditRows()).filter((row) => row.event === "budget_threshold").reverse();
    expect(events.map((row) => [row.user, row.target])).toEqual([
      ["alice", expect.stringMatching(/^limit \d+: user alice: total_tokens per day ≤ 26: 80%$/)],
      ["alice", expect.stringMatching(/^limit \d+: user alice: total_tokens per day ≤ 26: 100%$/)],
    ]);
  });

  it("settled usage reaches the shared counter", async () => {
    const created = await limit({ scope: { user: "alice" }, metric: "cost_usd", window: "month", max: 1 });
    for (let index = 0; index < 4; index += 1) expect((await call(alice)).status).toBe(200);
    await flushLimitMeters();
    const counters = await currentStore().read(({ db, t }) => rows(db.select().from(t.limitCounters)));
    expect(counters).toEqual([expect.objectContaining({ limitId: created.id, subject: "", used: expect.closeTo(4 * CALL_COST, 12) })]);
    // Nothing held once the process gave its spare room back.
    const grants = await currentStore().read(({ db, t }) => rows(db.select().from(t.limitGrants)));
    expect(grants).toEqual([]);
  });

  it("GET /api/v1/usage shows the caller's own limits, used and reserved now, and their own spend", async () => {
    const own = await limit({ scope: { user: "alice" }, metric: "total_tokens", window: "day", max: 1000 });
    const shared = await limit({ scope: { default: true }, metric: "requests", window: "month", max: 50 });
    const slots = await limit({ scope: { token: tokenPrefix }, metric: "concurrent", max: 3 });
    await limit({ scope: { user: "bob" }, metric: "cost_usd", window: "day", max: 5 });
    for (let index = 0; index < 3; index += 1) await call(bob);
    await call(alice);
    await call(alice);
    holdCalls = true;
    const running = call(alice, { maxTokens: 100 });
    while (held.length === 0) await sleep(5);
    const usage = async (token: string) => {
      // Spend comes from the audit log, written in batches within moments.
      await flushAllAudit();
      const response = await handleApiRoute(currentStore(), { kind: "usage" }, { authorization: `Bearer ${token}` });
      expect(response.status).toBe(200);
      return JSON.parse(Buffer.from(response.body as Uint8Array).toString("utf8"));
    };
    const mine = await usage(alice);
    const today = new Date();
    const tomorrow = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1)).toISOString();
    const nextMonth = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1)).toISOString();
    expect(mine.limits).toEqual([
      { id: own.id, scope: { user: "alice" }, metric: "total_tokens", window: "day", max: 1000, used: 20, reserved: 105, remaining: 875, resetsAt: tomorrow },
      // Counted per user: alice's two finished calls and the one running, not bob's three.
      { id: shared.id, scope: { default: true }, metric: "requests", window: "month", max: 50, used: 2, reserved: 1, remaining: 47, resetsAt: nextMonth },
      { id: slots.id, scope: { token: tokenPrefix }, metric: "concurrent", window: null, max: 3, used: 0, reserved: 1, remaining: 2, resetsAt: null },
    ]);
    expect(mine.spend).toEqual({
      today: { requests: 2, totalTokens: 20, costUsd: expect.closeTo(2 * CALL_COST, 12) },
      month: { requests: 2, totalTokens: 20, costUsd: expect.closeTo(2 * CALL_COST, 12) },
    });
    releaseHeld();
    holdCalls = false;
    await running;
    const bobs = await usage(bob);
    expect(bobs.limits.map((entry: { scope: unknown; used: number }) => [entry.scope, entry.used])).toEqual([
      [{ default: true }, 3],
      [{ user: "bob" }, expect.closeTo(3 * CALL_COST, 12)],
    ]);
    expect(bobs.spend.today).toMatchObject({ requests: 3, totalTokens: 30 });
    // Without credentials: the same 401 as every API path.
    expect((await handleApiRoute(currentStore(), { kind: "usage" }, {})).status).toBe(401);
  });
});
