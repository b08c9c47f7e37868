import fs from "node:fs";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDataDir, startGateway, type RunningGateway, type ServeMode } from "../../../../tests/helpers/gateway";
import { auditFor, operator, useDataDir } from "../../../../tests/helpers/seed";
import { createBinding } from "../../../bindings/create";
import type { Context } from "../../../context";
import { createLlm } from "../../../llms/create";
import { createSecret } from "../../../secrets/create";
import { createToken } from "../../../tokens/create";
import { createUser } from "../../../users/create";
import { FAKE_GEMINI, processesOf, recordFile, waitFor, type FakeRecord } from "./test-support";

const OPERATOR = (): Context => operator();
const GEMINI_KEY = "AIzaE2E-gemini-key-0004";
const SENTINEL = "GATEWAY_SENTINEL_SECRET";

describe.each<ServeMode>(["lean", "next"])("gemini-cli through the gateway served by %s, with the openai SDK", (mode) => {
  let gateway: RunningGateway;
  let token: string;
  const client = (llm: string) => new OpenAI({ baseURL: `${gateway.url}/api/v1/llms/${llm}`, apiKey: token, maxRetries: 0, timeout: 20_000 });

  beforeAll(async () => {
    const dataDir = await makeDataDir();
    await useDataDir(dataDir);
    await createSecret({ ctx: OPERATOR(), input: { name: "gemini", values: { api_key: GEMINI_KEY } } });
    const llm = (name: string, timeoutMs: number) =>
      createLlm({
        ctx: OPERATOR(),
        input: {
          name,
          provider: "gemini-cli",
          model: "gemini-2.5-flash",
          geminiPath: FAKE_GEMINI,
          maxConcurrency: 2,
          timeoutMs,
          apiKeyRef: { secret: "gemini", key: "api_key" },
        },
      });
    await llm("gem", 5000);
    await llm("gem-quick", 1000);
    await createUser({ ctx: OPERATOR(), input: { name: "alice", password: "alice-password" } });
    await createBinding({ ctx: OPERATOR(), input: { user: "alice", role: "run", resource: "llms" } });
    token = (await createToken({ ctx: OPERATOR(), input: { user: "alice" } })).token;
    const { ensureBuilt } = await import("../../../../tests/helpers/build");
    await ensureBuilt();
    gateway = await startGateway({ mode, dataDir, env: { [SENTINEL]: "sentinel-value-that-must-not-leak" } });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it("non-streaming: the answer, its usage and an audit row with the tokens", async () => {
    const { data, response } = await client("gem")
      .chat.completions.create({
        model: "ignored",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Say hi" },
        ],
      })
      .withResponse();
    expect(data).toMatchObject({
      object: "chat.completion",
      model: "gemini-2.5-flash",
      choices: [{ message: { role: "assistant", content: "Hello there!" }, finish_reason: "stop" }],
    });
    expect(data.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 });
    const [row] = await auditFor(response.headers.get("x-request-id"));
    expect(row).toMatchObject({
      event: "llm_inference_call",
      llm: "gem",
      provider: "gemini-cli",
      model: "gemini-2.5-flash",
      streaming: false,
      status: 200,
      promptTokens: 12,
      completionTokens: 3,
      totalTokens: 15,
      error: null,
    });
  });

  it("streaming with include_usage: deltas, a usage chunk, and the tokens audited", async () => {
    const { data: stream, response } = await client("gem")
      .chat.completions.create({ model: "ignored", messages: [{ role: "user", content: "Say hi" }], stream: true, stream_options: { include_usage: true } })
      .withResponse();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta.role).toBe("assistant");
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe("Hello there!");
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe("stop");
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } });
    const [row] = await auditFor(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ streaming: true, status: 200, promptTokens: 12, completionTokens: 3, totalTokens: 15 });
  });

  it("the key reaches the CLI's environment only; the gateway's own variables do not", async () => {
    const record = recordFile();
    await client("gem").chat.completions.create({
      model: "ignored",
      messages: [{ role: "user", content: `Please run a shell command record-to=${record.path}` }],
    });
    const seen: FakeRecord = record.read();
    expect(seen.env.GEMINI_API_KEY).toBe(GEMINI_KEY);
    expect(seen.env[SENTINEL]).toBeUndefined();
    expect(seen.env.GATEWAY_DATA_DIR).toBeUndefined();
    expect(seen.argv.join(" ")).not.toContain(GEMINI_KEY);
    expect(gateway.output()).not.toContain(GEMINI_KEY);
  });

  it("a CLI exit code comes back as an OpenAI error and is audited with its status", async () => {
    const failure = await client("gem")
      .chat.completions.create({ model: "ignored", messages: [{ role: "user", content: "exit 42" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    const error = failure as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.status).toBe(400);
    expect(error.message).toContain("exit 42");
    const [row] = await auditFor(error.headers?.get("x-request-id") ?? null);
    expect(row).toMatchObject({ status: 400, provider: "gemini-cli" });
    expect(gateway.output()).toContain("simulated failure with exit 42");
  });

  it("a silent CLI is killed at the Llm's timeout: 504, audited, nothing left running", async () => {
    const record = recordFile();
    const marker = `fake-gemini-e2e-${mode}-${Date.now()}`;
    const failure = await client("gem-quick")
      .chat.completions.create({ model: "ignored", messages: [{ role: "user", content: `please hang record-to=${record.path} marker=${marker}` }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    const error = failure as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(504);
    const [row] = await auditFor(error.headers?.get("x-request-id") ?? null);
    expect(row).toMatchObject({ status: 504, llm: "gem-quick" });
    const seen = record.read();
    expect(await waitFor(() => processesOf(seen, marker).length === 0)).toBe(true);
    expect(fs.existsSync(seen.cwd)).toBe(false);
  });
});
