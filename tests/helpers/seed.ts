import { desc, eq } from "drizzle-orm";
import type { AuditRow } from "../../server/audit/types";
import OpenAI from "openai";
import { rows, run } from "../../db/program";
import type { Store } from "../../db/store";
import { CLI_PRINCIPAL } from "../../server/auth/principal";
import { createBinding } from "../../server/bindings/create";
import type { Context } from "../../server/context";
import { createLlm } from "../../server/llms/create";
import { createSecret } from "../../server/secrets/create";
import { createToken } from "../../server/tokens/create";
import { revokeToken } from "../../server/tokens/revoke";
import { createUser } from "../../server/users/create";
import { updateUser } from "../../server/users/update";
import { databaseFor } from "./gateway";

export const OPENAI_KEY = "sk-proj-UPSTREAMKEY-openai-0001";
export const ANTHROPIC_KEY = "sk-ant-UPSTREAMKEY-anthropic-0002";

// The database of the gateway this test file talks to, opened in the test process too.
let gatewayStore: Store | null = null;

export function seededStore(): Store {
  if (!gatewayStore) throw new Error("call useDataDir(dataDir) first");
  return gatewayStore;
}

export const operator = (): Context => ({ principal: CLI_PRINCIPAL, clientIp: null, store: seededStore() });

/** Opens a gateway's database (a real SQLite file or PostgreSQL database shared with it) in this test process. */
export async function useDataDir(dataDir: string): Promise<Store> {
  await gatewayStore?.close();
  gatewayStore = await databaseFor(dataDir).open();
  return gatewayStore;
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
  await useDataDir(dataDir);
  const OPERATOR = operator();
  await createSecret({ ctx: OPERATOR, input: { name: "openai", values: { api_key: OPENAI_KEY } } });
  await createSecret({ ctx: OPERATOR, input: { name: "anthropic", values: { api_key: ANTHROPIC_KEY } } });
  await createSecret({ ctx: OPERATOR, input: { name: "broken", backend: "env", envVars: { api_key: "GW_TEST_VARIABLE_THAT_IS_NOT_SET" } } });
  const llm = (input: Parameters<typeof createLlm>[0]["input"]) => createLlm({ ctx: OPERATOR, input });
  await llm({ name: "gpt", provider: "openai", model: "gpt-4o", url: `${upstreamUrl}/v1`, apiKeyRef: { secret: "openai", key: "api_key" } });
  await llm({
    name: "claude",
    provider: "anthropic",
    model: "claude-sonnet-4-5",
    url: `${upstreamUrl}/v1`,
    apiKeyRef: { secret: "anthropic", key: "api_key" },
    defaults: { max_tokens: 1000 },
  });
  await llm({ name: "local", provider: "ollama", model: "llama3.2", url: `${upstreamUrl}/v1` });
  await llm({ name: "plain", provider: "vllm", model: "qwen", url: `${upstreamUrl}/v1`, streamUsage: false });
  await llm({ name: "broken", provider: "openai", model: "gpt-4o", url: `${upstreamUrl}/v1`, apiKeyRef: { secret: "broken", key: "api_key" } });
  await llm({ name: "down", provider: "deepseek", model: "deepseek-chat", url: "http://127.0.0.1:9/v1" });
  await llm({ name: "slow", provider: "openai", model: "gpt-4o", url: `${upstreamUrl}/slow/v1`, timeoutMs: 1000 });
  for (const name of ["alice", "bob", "carol", "dave"]) await createUser({ ctx: OPERATOR, input: { name, password: `${name}-password` } });
  await createBinding({ ctx: OPERATOR, input: { user: "alice", role: "run", resource: "llms" } });
  await createBinding({ ctx: OPERATOR, input: { user: "bob", role: "run", resource: "llms", name: "gpt" } });
  await createBinding({ ctx: OPERATOR, input: { user: "carol", role: "edit", resource: "llms" } });
  await createBinding({ ctx: OPERATOR, input: { user: "dave", role: "run", resource: "llms" } });
  const token = async (user: string) => (await createToken({ ctx: OPERATOR, input: { user } })).token;
  const tokens: SeededTokens = {
    alice: await token("alice"),
    bob: await token("bob"),
    carol: await token("carol"),
    dave: await token("dave"),
    revoked: await token("alice"),
    expired: await token("alice"),
  };
  await revokeToken({ ctx: OPERATOR, input: { prefix: tokens.revoked.slice(0, 12) } });
  await OPERATOR.store.change(({ db, t }) =>
    run(
      db
        .update(t.apiTokens)
        .set({ expiresAt: Date.now() - 1000 })
        .where(eq(t.apiTokens.prefix, tokens.expired.slice(0, 12))),
    ),
  );
  await updateUser({ ctx: OPERATOR, input: { name: "dave", disabled: true } });
  return tokens;
}

/** Lets carol view the audit log and returns a token of hers (for /metrics and the audit export). */
export async function grantAuditor(): Promise<string> {
  await createBinding({ ctx: operator(), input: { user: "carol", role: "view", resource: "audit" } });
  return (await createToken({ ctx: operator(), input: { user: "carol" } })).token;
}

/** Every audit row of the seeded gateway's database, newest first. */
export function seededAuditRows(): Promise<AuditRow[]> {
  return seededStore().read(({ db, t }) => rows(db.select().from(t.auditEvents).orderBy(desc(t.auditEvents.id))));
}

/** The newest audit rows that match, once at least `count` do (the server writes them in batches). */
export async function waitForAuditRows(matches: (row: AuditRow) => boolean, count: number, timeoutMs = 10_000): Promise<AuditRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await seededAuditRows()).filter(matches);
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The audit rows of one request, waiting for the server's batched writer. */
export async function auditFor(requestId: string | null, timeoutMs = 10_000) {
  if (!requestId) throw new Error("response had no x-request-id");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await seededStore().read(({ db, t }) => rows(db.select().from(t.auditEvents).where(eq(t.auditEvents.requestId, requestId))));
    if (found.length > 0 || Date.now() > deadline) return found;
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
