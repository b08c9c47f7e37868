import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { raw } from "../../db/program";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, warmUpCli } from "../../server/cli/cli-test-helpers";
import { ensureBuilt } from "../helpers/build";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstream";
import { databaseFor, makeDataDir, startGateway, type RunningGateway } from "../helpers/gateway";
import { callTrpc, describeResponse, echoingUpstream, PASSWORD, routerProcedures, SECRET_VALUE, trpcCases, type Capture } from "./leak-drive";

const URL_SHAPES = [
  (llm: string) => ({ path: `/api/v1/llms/${llm}/infer`, model: undefined }),
  (llm: string) => ({ path: `/api/v1/llms/${llm}/chat/completions`, model: undefined }),
  (llm: string) => ({ path: "/api/v1/chat/completions", model: llm }),
];
const CONSOLE_PAGES = [
  "/",
  "/login",
  "/llms",
  "/llms/leak-gpt",
  "/llms/leak-claude",
  "/llms/leak-route",
  "/secrets",
  "/access",
  "/account",
  "/audit",
  "/usage",
  "/limits",
];

/**
 * Seeds a distinctive secret value, token and password, drives every interface with valid and
 * invalid input (including upstream errors that echo the key), then looks for the three values
 * everywhere the gateway writes: responses, headers, logs, audit rows and database files.
 */
describe("leak scan", () => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;
  let dataDir = "";
  let token = "";
  const captures: Capture[] = [];

  function cli(args: string[], input?: string): void {
    const result = runCli(dataDir, args, { input });
    captures.push({ label: `cli ${args.join(" ")}`, text: `${result.status}\n${result.stdout}\n${result.stderr}` });
  }

  async function capture(label: string, request: Promise<Response>): Promise<{ status: number; headers: Headers; body: string }> {
    const response = await request;
    const body = await response.text();
    captures.push(describeResponse(label, response.status, response.headers, body));
    return { status: response.status, headers: response.headers, body };
  }

  beforeAll(async () => {
    await ensureBuilt();
    await warmUpCli();
    upstream = await startFakeUpstream();
    upstream.handle(echoingUpstream);
    dataDir = await makeDataDir();
    const seed = (args: string[], input?: string) => {
      const result = runCli(dataDir, args, { input });
      if (result.status !== 0) throw new Error(`seeding failed: ${args.join(" ")}: ${result.stderr}`);
      return result.stdout.trim();
    };
    seed(["secret", "create", "leak", "--from-literal", `api_key=${SECRET_VALUE}`]);
    seed(["llm", "create", "leak-gpt", "--provider", "openai", "--model", "gpt-4o", "--url", `${upstream.url}/v1`, "--api-key-ref", "leak/api_key"]);
    seed([
      "llm",
      "create",
      "leak-claude",
      "--provider",
      "anthropic",
      "--model",
      "claude-x",
      "--url",
      `${upstream.url}/v1`,
      "--api-key-ref",
      "leak/api_key",
      "--max-tokens",
      "100",
    ]);
    // Targets fail on purpose here; none may cool down, so which one a call reaches decides nothing.
    seed(["llm", "create", "leak-route", "--provider", "route", "--target", "leak-gpt", "--target", "leak-claude", "--failure-threshold", "100"]);
    seed(["user", "create", "leaky", "--password-stdin"], `${PASSWORD}\n`);
    seed(["user", "create", "alice", "--password-stdin"], "alice-password\n");
    seed(["binding", "create", "--user", "leaky", "--role", "admin", "--resource", "*"]);
    token = seed(["token", "create", "leaky"]);
    gateway = await startGateway({ mode: "lean", dataDir });
  });
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  it("drives every inference shape, stream and not, including upstream errors that echo the key", async () => {
    for (const llm of ["leak-gpt", "leak-claude"]) {
      for (const shape of URL_SHAPES) {
        const { path: target, model } = shape(llm);
        for (const stream of [false, true]) {
          for (const content of ["hello", "echo the key", "echo mid-stream", "echo in fields", "echo in answer"]) {
            const body = { model, messages: [{ role: "user", content }], stream };
            const request = fetch(`${gateway.url}${target}`, {
              method: "POST",
              headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
              body: JSON.stringify(body),
            });
            const response = await capture(`infer ${llm} ${target} ${content} stream=${stream}`, request);
            // A refused provider key is the gateway's failure (502), never the caller's 401.
            const status = content === "echo the key" ? 502 : content === "echo in fields" ? 400 : 200;
            expect(response.status, `${llm} ${target} ${content} ${stream} ${response.body}`).toBe(status);
          }
        }
      }
    }
    expect(upstream.requests.filter((request) => JSON.stringify(request.json).includes("echo the key"))).toHaveLength(12);
  });

  it("drives the agent APIs (Messages, count_tokens, Responses, embeddings), native and translated, including echoed keys", async () => {
    const calls: Array<{ api: string; path: string; llm: string; streams: boolean; body: (content: string) => Record<string, unknown> }> = [];
    for (const llm of ["leak-claude", "leak-gpt", "leak-route"]) {
      const messages = (content: string) => ({ model: llm, max_tokens: 50, messages: [{ role: "user", content }] });
      calls.push({ api: "messages", path: "/api/v1/messages", llm, streams: true, body: messages });
      calls.push({ api: "responses", path: "/api/v1/responses", llm, streams: true, body: (content) => ({ model: llm, input: content }) });
    }
    for (const llm of ["leak-claude", "leak-gpt"]) {
      calls.push({
        api: "count_tokens",
        path: "/api/v1/messages/count_tokens",
        llm,
        streams: false,
        body: (content) => ({ model: llm, messages: [{ role: "user", content }] }),
      });
      calls.push({ api: "embeddings", path: "/api/v1/embeddings", llm, streams: false, body: (content) => ({ model: llm, input: content }) });
    }
    for (const call of calls) {
      for (const stream of call.streams ? [false, true] : [false]) {
        for (const content of ["hello", "echo the key", "echo mid-stream", "echo in fields", "echo in answer"]) {
          const headers: Record<string, string> =
            call.api === "messages" || call.api === "count_tokens" ? { "x-api-key": token } : { authorization: `Bearer ${token}` };
          const request = fetch(`${gateway.url}${call.path}`, {
            method: "POST",
            headers: { ...headers, "content-type": "application/json" },
            body: JSON.stringify({ ...call.body(content), ...(stream ? { stream } : {}) }),
          });
          const response = await capture(`${call.api} ${call.llm} ${content} stream=${stream}`, request);
          // The gateway answers a token count for an OpenAI Llm itself; Anthropic has no embeddings. A route's stream that
          // fails before its answer began is refused as its last target's error (the OpenAI fake's is a 400).
          const answeredByGateway = call.api === "count_tokens" && call.llm === "leak-gpt";
          const heldFailure = call.llm === "leak-route" && stream && content === "echo mid-stream";
          const expected =
            (call.api === "embeddings" && call.llm === "leak-claude") || heldFailure
              ? 400
              : answeredByGateway
                ? 200
                : content === "echo the key"
                  ? 502
                  : content === "echo in fields"
                    ? 400
                    : 200;
          expect(response.status, `${call.api} ${call.llm} ${content} ${stream} ${response.body}`).toBe(expected);
        }
      }
    }
  });

  it("drives models, usage, metrics, health, the audit export, login and logout", async () => {
    const bearer = { authorization: `Bearer ${token}` };
    expect((await capture("models", fetch(`${gateway.url}/api/v1/models`, { headers: bearer }))).status).toBe(200);
    expect((await capture("usage", fetch(`${gateway.url}/api/v1/usage`, { headers: bearer }))).status).toBe(200);
    // A route whose targets both echo the key in their errors: its attempts' errors are kept and shown.
    for (const stream of [false, true]) {
      for (const content of ["echo the key", "echo mid-stream"]) {
        const request = fetch(`${gateway.url}/api/v1/llms/leak-route/chat/completions`, {
          method: "POST",
          headers: { ...bearer, "content-type": "application/json" },
          body: JSON.stringify({ messages: [{ role: "user", content }], stream }),
        });
        await capture(`route ${content} stream=${stream}`, request);
      }
    }
    const targets = await capture("route targets", fetch(`${gateway.url}/api/v1/llms/leak-route/targets`, { headers: bearer }));
    expect(targets.status).toBe(200);
    expect(targets.body).toContain("Incorrect API key provided");
    expect((await capture("metrics", fetch(`${gateway.url}/metrics`, { headers: bearer }))).status).toBe(200);
    expect((await capture("health", fetch(`${gateway.url}/api/health`))).status).toBe(200);
    expect((await capture("audit export", fetch(`${gateway.url}/api/audit/export`, { headers: bearer }))).status).toBe(200);
    const login = (password: string) =>
      fetch(`${gateway.url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "leaky", password }),
      });
    expect((await capture("login wrong", login(`${PASSWORD}x`))).status).toBe(401);
    const signedIn = await capture("login", login(PASSWORD));
    expect(signedIn.status).toBe(204);
    const cookie = signedIn.headers.get("set-cookie")!.split(";")[0]!;
    expect((await capture("logout", fetch(`${gateway.url}/api/auth/logout`, { method: "POST", headers: { cookie, "x-gateway-csrf": "1" } }))).status).toBe(204);
  });

  it("drives every tRPC procedure with valid and invalid input", async () => {
    const procedures = routerProcedures();
    const cases = trpcCases();
    expect(new Set(cases.map((entry) => entry.procedure))).toEqual(new Set(procedures.keys()));
    const signedIn = await fetch(`${gateway.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "leaky", password: PASSWORD }),
    });
    const session = { cookie: signedIn.headers.get("set-cookie")!.split(";")[0]!, "x-gateway-csrf": "1" };
    const statuses = new Set<number>();
    for (const entry of cases) {
      const result = await callTrpc(gateway.url, entry.procedure, procedures.get(entry.procedure)!, entry.input, session);
      captures.push(result);
      statuses.add(result.status);
    }
    // Both sides were driven: successes and refusals.
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 400, 404, 409]));
    const tokens = await callTrpc(gateway.url, "tokens.list", "query", undefined, { authorization: `Bearer ${token}` });
    captures.push(tokens);
    expect(tokens.status).toBe(200);
  });

  it("renders every console page for the admin", async () => {
    const signedIn = await fetch(`${gateway.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "leaky", password: PASSWORD }),
    });
    const cookie = signedIn.headers.get("set-cookie")!.split(";")[0]!;
    for (const page of CONSOLE_PAGES) {
      const response = await capture(`page ${page}`, fetch(`${gateway.url}${page}`, { headers: { cookie } }));
      expect(response.status, page).toBeLessThan(500);
    }
  });

  it("drives every CLI listing and some refused commands", async () => {
    for (const kind of ["users", "tokens", "secrets", "llms", "bindings", "limits"]) {
      cli(["get", kind]);
      cli(["get", kind, "--json"]);
    }
    cli(["audit", "list", "--json", "--limit", "1000"]);
    cli(["audit", "list", "--limit", "1000"]);
    cli(["secret", "create", "leak", "--from-literal", `api_key=${SECRET_VALUE}`]);
    cli(["secret", "create", "Bad_Name", "--from-literal", `api_key=${SECRET_VALUE}`]);
    cli(["secret", "create", "other", "--from-literal", SECRET_VALUE]);
    cli(["secret", "create", "other", "--backend", "env", "--from-literal", `api_key=${SECRET_VALUE}`]);
    cli(["user", "create", "leaky", "--password-stdin"], `${PASSWORD}\n`);
    cli(["user", "create", "Bad_Name", "--password-stdin"], `${PASSWORD}\n`);
    cli(["token", "revoke", token]);
    cli(["token", "revoke", `${token.slice(0, 12)}x`]);
    cli(["delete", "secret", "leak"]);
    expect(captures.filter((entry) => entry.label.startsWith("cli ")).some((entry) => entry.text.startsWith("1\n"))).toBe(true);
  });

  it("finds none of the three values in any response, header, log line, audit row or database file", async () => {
    const store = await databaseFor(dataDir).open();
    const select = (query: string) => store.read(() => raw(sql.raw(query)));
    const inferenceRows = async () => Number((await select("SELECT count(*) AS count FROM audit_events WHERE event = 'llm_inference_call'"))[0]!.count);
    // The batched audit writer has flushed every call driven above: chat (2 llms × 3 shapes × 2 modes × 5 prompts, and 4 through
    // the route), Messages and Responses (3 llms × 2 modes × 5 prompts each), count_tokens and embeddings (2 llms × 5 prompts each).
    await expect.poll(inferenceRows, { timeout: 10_000 }).toBe(144);
    const auditRows = await select("SELECT * FROM audit_events");
    expect(auditRows.length).toBeGreaterThan(60);
    // Every other table's rows too, as the database holds them (a file on SQLite, rows on PostgreSQL).
    const tableRows: Capture[] = [];
    for (const table of ["users", "sessions", "api_tokens", "secrets", "secret_keys", "llms", "role_bindings", "gateway_settings"]) {
      for (const row of await select(`SELECT * FROM ${table}`)) tableRows.push({ label: `${table} row`, text: JSON.stringify(row) });
    }
    await store.close();
    // Log lines are written in batches: stopping the server writes the rest.
    expect(await gateway.stop()).toBe(0);
    expect(gateway.output().match(/"msg":"inference"/g)).toHaveLength(144);
    const sources: Capture[] = [
      ...captures,
      { label: "gateway log", text: gateway.output() },
      ...auditRows.map((row) => ({ label: `audit row ${JSON.stringify(row)}`, text: JSON.stringify(row) })),
      ...tableRows,
    ];
    expect(captures.length).toBeGreaterThan(100);
    // The key as the upstream echoed it: plain, base64 after a prefix (as in `Basic`), URL-encoded.
    const base64Echo = Buffer.from(`user:${SECRET_VALUE}`).toString("base64");
    const values = {
      secret: SECRET_VALUE,
      "secret in base64": base64Echo.slice(8, -4),
      "secret in base64url": base64Echo.slice(8, -4).replaceAll("+", "-").replaceAll("/", "_"),
      "secret url-encoded": encodeURIComponent(`${SECRET_VALUE}/`),
      token,
      password: PASSWORD,
    };
    const hits: string[] = [];
    for (const [name, value] of Object.entries(values)) {
      for (const source of sources) if (source.text.includes(value)) hits.push(`${name} in ${source.label.slice(0, 200)}`);
      for (const file of ["gateway.db", "gateway.db-wal", "gateway.db-shm"]) {
        const location = path.join(dataDir, file);
        if (fs.existsSync(location) && fs.readFileSync(location).includes(value)) hits.push(`${name} in ${file}`);
      }
    }
    expect(hits).toEqual([]);
    // The scan can see: the key did reach the upstream, and the echoed errors came back scrubbed.
    expect(upstream.requests.some((request) => JSON.stringify(request.headers).includes(SECRET_VALUE))).toBe(true);
    expect(captures.some((entry) => entry.text.includes("[redacted]"))).toBe(true);
  });
});
