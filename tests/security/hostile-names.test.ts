import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, warmUpCli } from "../../server/cli/cli-test-helpers";
import { ensureBuilt } from "../helpers/build";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstream";
import { makeDataDir, startGateway, type RunningGateway } from "../helpers/gateway";
import { seedGateway } from "../helpers/seed";
import { callTrpc, routerProcedures } from "./leak-drive";
import { HOSTILE_NAMES, managedData } from "./data-snapshot";

type NameCase = { procedure: string; field: string; input: (name: string) => unknown };

// Every name field of every create/update/remove procedure (and the lookups beside them).
const TRPC_NAME_FIELDS: NameCase[] = [
  { procedure: "llms.create", field: "name", input: (name) => ({ name, provider: "openai", model: "m" }) },
  {
    procedure: "llms.create",
    field: "apiKeyRef.secret",
    input: (name) => ({ name: "fresh-llm", provider: "openai", model: "m", apiKeyRef: { secret: name, key: "api_key" } }),
  },
  { procedure: "llms.update", field: "name", input: (name) => ({ name, description: "changed" }) },
  { procedure: "llms.remove", field: "name", input: (name) => ({ name }) },
  { procedure: "llms.get", field: "name", input: (name) => ({ name }) },
  { procedure: "secrets.create", field: "name", input: (name) => ({ name, values: { api_key: "value-1234" } }) },
  { procedure: "secrets.update", field: "name", input: (name) => ({ name, description: "changed" }) },
  { procedure: "secrets.remove", field: "name", input: (name) => ({ name }) },
  { procedure: "users.create", field: "name", input: (name) => ({ name, password: "long-enough-password" }) },
  { procedure: "users.update", field: "name", input: (name) => ({ name, disabled: true }) },
  { procedure: "users.setPassword", field: "name", input: (name) => ({ name, password: "long-enough-password" }) },
  { procedure: "users.remove", field: "name", input: (name) => ({ name }) },
  { procedure: "tokens.create", field: "user", input: (name) => ({ user: name }) },
  { procedure: "bindings.create", field: "user", input: (name) => ({ user: name, role: "admin", resource: "*" }) },
  { procedure: "bindings.create", field: "name", input: (name) => ({ user: "bob", role: "run", resource: "llms", name }) },
];

// Values the other fields refuse the same way: ids and prefixes that smuggle SQL, key names with a slash, paths that climb.
const OTHER_FIELDS: Array<{ procedure: string; field: string; input: unknown }> = [
  { procedure: "tokens.revoke", field: "prefix", input: { prefix: "gw_' OR 1=1 --" } },
  { procedure: "tokens.revoke", field: "prefix", input: { prefix: "gw_%" } },
  { procedure: "bindings.remove", field: "id", input: { id: "1 OR 1=1" } },
  { procedure: "bindings.remove", field: "id", input: { id: -1 } },
  { procedure: "bindings.remove", field: "id", input: { id: 1.5 } },
  { procedure: "secrets.create", field: "values", input: { name: "fresh-secret", values: { "../key": "value-1234" } } },
  { procedure: "secrets.update", field: "removeKeys", input: { name: "openai", removeKeys: ["' OR 1=1 --"] } },
  { procedure: "secrets.create", field: "openbaoPath", input: { name: "fresh-secret", backend: "openbao", openbaoPath: "kv/../../sys/seal-status" } },
  { procedure: "secrets.create", field: "openbaoPath", input: { name: "fresh-secret", backend: "openbao", openbaoPath: "kv/team/../../../sys/x" } },
  { procedure: "secrets.create", field: "openbaoPath", input: { name: "fresh-secret", backend: "openbao", openbaoPath: "kv/./x" } },
];

const CLI_NAMES = ["../etc/passwd", "%2e%2e%2f", "' OR 1=1 --", '"; DROP TABLE users; --', "line\nbreak", "\u202egpt", "ｇｐｔ", "", "a".repeat(200)];

const CLI_COMMANDS: Array<(name: string) => string[]> = [
  (name) => ["user", "create", name],
  (name) => ["user", "disable", name],
  (name) => ["token", "create", name],
  (name) => ["token", "revoke", name],
  (name) => ["secret", "create", name, "--from-literal", "api_key=value-1234"],
  (name) => ["secret", "create", "fresh-secret", "--from-literal", `${name}=value-1234`],
  (name) => ["llm", "create", name, "--provider", "openai", "--model", "m"],
  (name) => ["llm", "create", "fresh-llm", "--provider", "openai", "--model", "m", "--api-key-ref", `${name}/api_key`],
  (name) => ["binding", "create", "--user", name, "--role", "admin", "--resource", "*"],
  (name) => ["binding", "create", "--user", "bob", "--role", "run", "--resource", "llms", "--name", name],
  (name) => ["delete", "user", name],
  (name) => ["delete", "secret", name],
  (name) => ["delete", "llm", name],
  (name) => ["delete", "binding", name],
];

describe("hostile names in tRPC and CLI name fields", () => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;
  let dataDir = "";
  let session: Record<string, string> = {};

  beforeAll(async () => {
    await ensureBuilt();
    await warmUpCli();
    upstream = await startFakeUpstream();
    dataDir = await makeDataDir();
    await seedGateway(dataDir, upstream.url);
    expect(runCli(dataDir, ["user", "create", "root", "--password-stdin"], { input: "root-password\n" }).status).toBe(0);
    expect(runCli(dataDir, ["binding", "create", "--user", "root", "--role", "admin", "--resource", "*"]).status).toBe(0);
    gateway = await startGateway({ mode: "lean", dataDir });
    const login = await fetch(`${gateway.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "root", password: "root-password" }),
    });
    session = { cookie: login.headers.get("set-cookie")!.split(";")[0]!, "x-gateway-csrf": "1" };
  });
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  it("every tRPC name field refuses every hostile name with a 400 naming the field, and nothing changes", async () => {
    const kinds = routerProcedures();
    const before = await managedData(dataDir);
    for (const { procedure, field, input } of TRPC_NAME_FIELDS) {
      for (const name of HOSTILE_NAMES) {
        const result = await callTrpc(gateway.url, procedure, kinds.get(procedure)!, input(name), session);
        const label = `${procedure} ${field} ${JSON.stringify(name).slice(0, 40)}`;
        expect(result.status, label).toBe(400);
        const error = (JSON.parse(result.body) as { error: { data: { code: string; field: string | null } } }).error;
        expect(error.data, label).toMatchObject({ code: "BAD_REQUEST", field });
      }
    }
    for (const { procedure, field, input } of OTHER_FIELDS) {
      const result = await callTrpc(gateway.url, procedure, kinds.get(procedure)!, input, session);
      expect(result.status, `${procedure} ${JSON.stringify(input)}`).toBe(400);
      expect((JSON.parse(result.body) as { error: { data: { field: string } } }).error.data.field, procedure).toMatch(new RegExp(`^${field}`));
    }
    expect(await managedData(dataDir)).toEqual(before);
  });

  it("SQL metacharacters in filters and free-text fields are data, never query text", async () => {
    const kinds = routerProcedures();
    const injection = "' OR 1=1 --";
    const tokens = await callTrpc(gateway.url, "tokens.list", kinds.get("tokens.list")!, { user: injection }, session);
    expect([200, 403, 404]).toContain(tokens.status);
    if (tokens.status === 200) expect(JSON.parse(tokens.body).result.data).toEqual([]);
    const audit = await callTrpc(gateway.url, "audit.list", kinds.get("audit.list")!, { user: injection, llm: injection, event: injection }, session);
    expect(audit.status).toBe(200);
    expect(JSON.stringify(JSON.parse(audit.body).result.data)).not.toContain('"event"');
    const labelled = await callTrpc(gateway.url, "tokens.create", kinds.get("tokens.create")!, { user: "alice", name: '"; DROP TABLE users; --' }, session);
    expect(labelled.status).toBe(200);
    const created = await callTrpc(
      gateway.url,
      "llms.create",
      kinds.get("llms.create")!,
      { name: "quoted", provider: "openai", model: "m'; DROP TABLE llms; --", description: "Robert'); DROP TABLE users;--" },
      session,
    );
    expect(created.status).toBe(200);
    const data = await managedData(dataDir);
    expect((data.api_tokens as Array<{ name: string }>).map((token) => token.name)).toContain('"; DROP TABLE users; --');
    expect((data.llms as Array<{ name: string; model: string }>).find((llm) => llm.name === "quoted")!.model).toBe("m'; DROP TABLE llms; --");
    expect((data.users as Array<{ name: string }>).map((user) => user.name)).toEqual(expect.arrayContaining(["root", "alice", "bob", "carol", "dave"]));
  });

  it("every CLI name argument refuses every hostile name with one line and exit 1 or 2, and nothing changes", { timeout: 300_000 }, async () => {
    const before = await managedData(dataDir);
    for (const command of CLI_COMMANDS) {
      for (const name of CLI_NAMES) {
        const args = command(name);
        const result = runCli(dataDir, args);
        const label = JSON.stringify(args);
        expect([1, 2], `${label}: ${result.stderr}`).toContain(result.status);
        expect(result.stdout, label).toBe("");
        expect(result.stderr, label).toMatch(/^llm-gateway: /);
        const reasonLines = result.stderr.split("\n").filter((line) => line.startsWith("llm-gateway: "));
        expect(reasonLines, label).toHaveLength(1);
        if (result.status === 1) expect(result.stderr.trimEnd().split("\n"), label).toHaveLength(1);
      }
    }
    for (const args of [
      ["audit", "list", "--user", "' OR 1=1 --", "--json"],
      ["audit", "list", "--llm", '"; DROP TABLE llms; --', "--json"],
    ]) {
      const result = runCli(dataDir, args);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe("");
    }
    const refusedPath = runCli(dataDir, ["secret", "create", "fresh-secret", "--openbao-path", "kv/../../sys/seal-status"]);
    expect(refusedPath.status).toBe(1);
    expect(await managedData(dataDir)).toEqual(before);
  });
});
