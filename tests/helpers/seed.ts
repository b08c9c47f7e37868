import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { closeDb, getDb } from "../../db/client";
import { apiTokens, auditEvents } from "../../db/schema";
import { CLI_PRINCIPAL } from "../../server/auth/principal";
import { createBinding } from "../../server/bindings/create";
import { resetChangeTracking } from "../../server/changes";
import { resetConfigForTests } from "../../server/config";
import type { Context } from "../../server/context";
import { createLlm } from "../../server/llms/create";
import { createSecret } from "../../server/secrets/create";
import { forgetMasterKey } from "../../server/secrets/master-key";
import { createToken } from "../../server/tokens/create";
import { revokeToken } from "../../server/tokens/revoke";
import { createUser } from "../../server/users/create";
import { updateUser } from "../../server/users/update";
import { REPO_ROOT } from "./fresh-db";

export const OPENAI_KEY = "sk-proj-UPSTREAMKEY-openai-0001";
export const ANTHROPIC_KEY = "sk-ant-UPSTREAMKEY-anthropic-0002";
const OPERATOR: Context = { principal: CLI_PRINCIPAL, clientIp: null };

/** Points this test process at a gateway's data directory (a real SQLite file shared with it). */
export function useDataDir(dataDir: string): void {
  closeDb();
  process.env.GATEWAY_DATA_DIR = dataDir;
  process.env.GATEWAY_APP_ROOT = REPO_ROOT;
  resetConfigForTests();
  forgetMasterKey();
  resetChangeTracking();
}

export interface SeededTokens {
  alice: string;
  bob: string;
  carol: string;
  dave: string;
  revoked: string;
  expired: string;
}

/**
 * Users: alice may run every llm, bob only `gpt`, carol edits llms but runs none, dave is disabled.
 * Llms point at the fake upstream (`/v1` for OpenAI-compatible and Anthropic alike).
 */
export async function seedGateway(dataDir: string, upstreamUrl: string): Promise<SeededTokens> {
  useDataDir(dataDir);
  createSecret({ ctx: OPERATOR, input: { name: "openai", values: { api_key: OPENAI_KEY } } });
  createSecret({ ctx: OPERATOR, input: { name: "anthropic", values: { api_key: ANTHROPIC_KEY } } });
  createSecret({ ctx: OPERATOR, input: { name: "broken", backend: "env", envVars: { api_key: "GW_TEST_VARIABLE_THAT_IS_NOT_SET" } } });
  const llm = (input: Parameters<typeof createLlm>[0]["input"]) => createLlm({ ctx: OPERATOR, input });
  llm({ name: "gpt", provider: "openai", model: "gpt-4o", url: `${upstreamUrl}/v1`, apiKeyRef: { secret: "openai", key: "api_key" } });
  llm({
    name: "claude",
    provider: "anthropic",
    model: "claude-sonnet-4-5",
    url: `${upstreamUrl}/v1`,
    apiKeyRef: { secret: "anthropic", key: "api_key" },
    defaults: { max_tokens: 1000 },
  });
  llm({ name: "local", provider: "ollama", model: "llama3.2", url: `${upstreamUrl}/v1` });
  llm({ name: "plain", provider: "vllm", model: "qwen", url: `${upstreamUrl}/v1`, streamUsage: false });
  llm({ name: "broken", provider: "openai", model: "gpt-4o", url: `${upstreamUrl}/v1`, apiKeyRef: { secret: "broken", key: "api_key" } });
  llm({ name: "down", provider: "deepseek", model: "deepseek-chat", url: "http://127.0.0.1:9/v1" });
  llm({ name: "slow", provider: "openai", model: "gpt-4o", url: `${upstreamUrl}/slow/v1`, timeoutMs: 1000 });
  for (const name of ["alice", "bob", "carol", "dave"]) await createUser({ ctx: OPERATOR, input: { name, password: `${name}-password` } });
  createBinding({ ctx: OPERATOR, input: { user: "alice", role: "run", resource: "llms" } });
  createBinding({ ctx: OPERATOR, input: { user: "bob", role: "run", resource: "llms", name: "gpt" } });
  createBinding({ ctx: OPERATOR, input: { user: "carol", role: "edit", resource: "llms" } });
  createBinding({ ctx: OPERATOR, input: { user: "dave", role: "run", resource: "llms" } });
  const token = (user: string) => createToken({ ctx: OPERATOR, input: { user } }).token;
  const tokens: SeededTokens = {
    alice: token("alice"),
    bob: token("bob"),
    carol: token("carol"),
    dave: token("dave"),
    revoked: token("alice"),
    expired: token("alice"),
  };
  revokeToken({ ctx: OPERATOR, input: { prefix: tokens.revoked.slice(0, 12) } });
  getDb()
    .update(apiTokens)
    .set({ expiresAt: Date.now() - 1000 })
    .where(eq(apiTokens.prefix, tokens.expired.slice(0, 12)))
    .run();
  updateUser({ ctx: OPERATOR, input: { name: "dave", disabled: true } });
  return tokens;
}

/** Lets carol view the audit log and returns a token of hers (for /metrics and the audit export). */
export function grantAuditor(): string {
  createBinding({ ctx: OPERATOR, input: { user: "carol", role: "view", resource: "audit" } });
  return createToken({ ctx: OPERATOR, input: { user: "carol" } }).token;
}

/** The audit rows of one request, waiting for the server's batched writer. */
export async function auditFor(requestId: string | null, timeoutMs = 10_000) {
  if (!requestId) throw new Error("response had no x-request-id");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = getDb().select().from(auditEvents).where(eq(auditEvents.requestId, requestId)).all();
    if (rows.length > 0 || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export type UrlShape = "infer" | "llm-chat" | "model-in-body";
export const URL_SHAPES: UrlShape[] = ["infer", "llm-chat", "model-in-body"];

/**
 * The real `openai` SDK on each URL shape the API offers. For `/infer` the SDK's own request is
 * sent to the infer path by a fetch wrapper; everything else is the SDK as users run it.
 */
export function openaiClient(gatewayUrl: string, token: string, llm: string, shape: UrlShape): { client: OpenAI; model: string } {
  const common = { apiKey: token, maxRetries: 0, timeout: 20_000 };
  if (shape === "model-in-body") return { client: new OpenAI({ ...common, baseURL: `${gatewayUrl}/api/v1` }), model: llm };
  const baseURL = `${gatewayUrl}/api/v1/llms/${llm}`;
  if (shape === "llm-chat") return { client: new OpenAI({ ...common, baseURL }), model: "ignored-by-gateway" };
  const toInfer: typeof fetch = (input, init) => fetch(String(input).replace(/\/chat\/completions$/, "/infer"), init);
  return { client: new OpenAI({ ...common, baseURL, fetch: toInfer }), model: "ignored-by-gateway" };
}
