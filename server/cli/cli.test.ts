import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../auth/passwords";
import { resolveSecretValue } from "../secrets/resolve";
import { rows } from "../../db/program";
import { TEST_ENGINE } from "../../tests/helpers/engine";
import { insertAuditRows } from "../audit/test-rows";
import { dataFiles, expectRefused, expectSuccess, expectUsageError, inProcess, json, runCli, useDataDir, warmUpCli, type CliResult } from "./cli-test-helpers";

const SECRET_VALUE = "sk-test-SECRETVALUE-123";

// The first call bundles dist/cli.mjs when sources changed; do it once, before the tests race for it.
beforeAll(warmUpCli, 120_000);

// Each case spawns the CLI a dozen times; a source change makes each call re-bundle first.
describe("llm-gateway command line", { timeout: 120_000 }, () => {
  const dataDir = useDataDir();
  const cli = (args: string[], options?: Parameters<typeof runCli>[2]) => runCli(dataDir(), args, options);
  const passwordHashes = () =>
    inProcess(dataDir(), (store) => store.read(({ db, t }) => rows(db.select({ name: t.users.name, hash: t.users.passwordHash }).from(t.users))));

  it("prints usage for --help and help, exit 0", async () => {
    const usage = expectSuccess(cli(["--help"]));
    expect(usage).toMatch(/^usage: llm-gateway <command>/);
    for (const line of [
      "user create NAME [--password-stdin]",
      "token revoke PREFIX",
      "secret rotate-master-key",
      "get users|tokens|secrets|llms|bindings|limits [--json]",
      "limit create (--user U [--llm L] | --token PREFIX | --llm L | --default) --metric M [--window W] --max N",
      "audit prune",
    ]) {
      expect(usage).toContain(`llm-gateway ${line}`);
    }
    expect(expectSuccess(cli(["help"]))).toBe(usage);
    expect(expectSuccess(cli(["help", "token"]))).toMatch(/^usage: llm-gateway token create USER/);
    expect(expectSuccess(cli(["token", "create", "--help"]))).toMatch(/^usage: llm-gateway token create USER/);
  });

  it("a malformed command line is one line of reason plus usage, exit 2", async () => {
    expectUsageError(cli([]), /missing command/);
    expectUsageError(cli(["frobnicate"]), /unknown command 'frobnicate'/);
    expectUsageError(cli(["user", "explode", "x"]), /unknown command 'user explode'/);
    expectUsageError(cli(["user"]), /needs a subcommand/);
    expectUsageError(cli(["get", "users", "--bogus"]), /unknown flag '--bogus'/);
    expectUsageError(cli(["user", "create"]), /needs NAME/);
    expectUsageError(cli(["user", "create", "a", "b"]), /too many arguments/);
    expectUsageError(cli(["user", "create", "alice", "--display-name"]), /--display-name needs a value/);
    expectUsageError(cli(["token", "create", "alice", "--expires-in", "30x"]), /--expires-in/);
    expectUsageError(cli(["token", "create", "alice", "--expires-in", "soon"]), /--expires-in/);
    expectUsageError(cli(["llm", "create", "m", "--model", "x"]), /needs --provider/);
    expectUsageError(cli(["llm", "create", "m", "--provider", "openai", "--model", "x", "--max-tokens", "many"]), /--max-tokens must be a whole number/);
    expectUsageError(cli(["audit", "list", "--limit", "-5"]), /--limit must be a whole number/);
    expectUsageError(cli(["get", "users", "--json", "--json"]), /more than once/);
    expectUsageError(cli(["get", "users", "--json=yes"]), /takes no value/);
    expectUsageError(cli(["delete", "binding", "first"]), /numeric id/);
    expectUsageError(cli(["binding", "create", "--user", "alice", "--role", "run"]), /needs --resource/);
    // Nothing was written: after all of that there is not even a database (a file to look for on SQLite).
    if (TEST_ENGINE === "sqlite") expectRefused(cli(["get", "users", "--json"]), /no gateway database at/);
  });

  it("user create prints the generated password once; --password-stdin prints none", async () => {
    const output = expectSuccess(cli(["user", "create", "alice", "--display-name", "Alice A"]));
    const match = /^user alice created\nPassword: (\S{16,})\n$/.exec(output);
    expect(match).not.toBeNull();
    expect(expectSuccess(cli(["user", "create", "bob", "--password-stdin"], { input: "pw-from-stdin-1\nignored second line\n" }))).toBe("user bob created\n");
    expect(json(cli(["get", "users", "--json"]))).toEqual([
      expect.objectContaining({ name: "alice", displayName: "Alice A", disabled: false }),
      expect.objectContaining({ name: "bob", displayName: null, disabled: false }),
    ]);
    const hashes = Object.fromEntries((await passwordHashes()).map((row) => [row.name, row.hash]));
    expect(await verifyPassword(match![1]!, hashes.alice)).toBe(true);
    expect(await verifyPassword("pw-from-stdin-1", hashes.bob)).toBe(true);
    expect(expectSuccess(cli(["get", "users"]))).toMatch(/^NAME +DISPLAY NAME +DISABLED +CREATED\nalice +Alice A +no +\d{4}-/);
  });

  it("refuses bad names, duplicates, short stdin passwords and unknown users with one line, exit 1", async () => {
    for (const name of ["Bad_Name", "../etc", "a;drop table users"]) expectRefused(cli(["user", "create", name]), /name: must be/);
    expectSuccess(cli(["user", "create", "alice"]));
    expectRefused(cli(["user", "create", "alice"]), /user 'alice' already exists/);
    expectRefused(cli(["user", "create", "bob", "--password-stdin"], { input: "short\n" }), /password: must be at least 8/);
    expectRefused(cli(["token", "create", "ghost"]), /user 'ghost' not found/);
    expectRefused(cli(["user", "disable", "ghost"]), /user 'ghost' not found/);
    expectRefused(cli(["delete", "user", "ghost"]), /user 'ghost' not found/);
    expectRefused(cli(["delete", "llm", "ghost"]), /llm 'ghost' not found/);
    expectRefused(cli(["delete", "secret", "ghost"]), /secret 'ghost' not found/);
    expectRefused(cli(["delete", "binding", "999"]), /rolebinding '999' not found/);
    expect(json(cli(["get", "users", "--json"])).map((user) => user.name)).toEqual(["alice"]);
  });

  it("token create prints only the token; listings never show it; revoke by prefix", async () => {
    expectSuccess(cli(["user", "create", "alice"]));
    const before = Date.now();
    const output = expectSuccess(cli(["token", "create", "alice", "--name", "ci", "--expires-in", "30d"]));
    expect(output).toMatch(/^gw_[0-9A-Za-z]{40}\n$/);
    const token = output.trim();
    expect(expectSuccess(cli(["token", "create", "alice"]))).toMatch(/^gw_[0-9A-Za-z]{40}\n$/);
    const listed = cli(["get", "tokens", "--json"]);
    expect(listed.stdout).not.toContain(token);
    const tokens = json(listed);
    expect(tokens).toHaveLength(2);
    const ci = tokens.find((row) => row.name === "ci")!;
    expect(ci).toMatchObject({ user: "alice", prefix: token.slice(0, 12), revokedAt: null, lastUsedAt: null });
    expect(ci.expiresAt).toBeGreaterThanOrEqual(before + 30 * 86_400_000);
    expect(ci.expiresAt).toBeLessThan(Date.now() + 30 * 86_400_000 + 1000);
    expect(tokens.find((row) => row.name === "default")).toMatchObject({ expiresAt: null });
    const table = expectSuccess(cli(["get", "tokens"]));
    expect(table).toMatch(/^PREFIX +USER +NAME +EXPIRES +LAST USED +REVOKED\n/);
    expect(table).toContain(token.slice(0, 12));
    expect(table).not.toContain(token);

    expect(expectSuccess(cli(["token", "revoke", token.slice(0, 12)]))).toBe(`token ${token.slice(0, 12)} revoked\n`);
    expect(json(cli(["get", "tokens", "--json"])).find((row) => row.name === "ci")!.revokedAt).toEqual(expect.any(Number));
    expectRefused(cli(["token", "revoke", "gw_000000000"]), /token 'gw_000000000' not found/);
    expectRefused(cli(["token", "revoke", "nonsense"]), /12-character prefix/);
    expectRefused(cli(["token", "create", "alice", "--expires-in", "10s"]), /expiresInSeconds/);
  });

  it("user set-password recovers an account, from stdin or generated; user enable undoes disable", async () => {
    expectSuccess(cli(["user", "create", "alice"]));
    expect(expectSuccess(cli(["user", "set-password", "alice", "--password-stdin"], { input: "recovered-password\n" }))).toBe(
      "password of user alice set; their sessions are ended\n",
    );
    const hash = async () => (await passwordHashes()).find((row) => row.name === "alice")!.hash;
    expect(await verifyPassword("recovered-password", await hash())).toBe(true);
    const generated = /^Password: (\S+)$/m.exec(expectSuccess(cli(["user", "set-password", "alice"])));
    expect(await verifyPassword(generated![1]!, await hash())).toBe(true);
    expectRefused(cli(["user", "set-password", "alice", "--password-stdin"], { input: "short\n" }), /password: must be at least 8/);
    expectRefused(cli(["user", "set-password", "ghost", "--password-stdin"], { input: "long-enough-1\n" }), /user 'ghost' not found/);
    expectSuccess(cli(["user", "disable", "alice"]));
    expect(expectSuccess(cli(["user", "enable", "alice"]))).toBe("user alice enabled\n");
    expect(json(cli(["get", "users", "--json"]))).toEqual([expect.objectContaining({ name: "alice", disabled: false })]);
  });

  it("llm update changes the given fields, clears with none, and moves the key only where its Secret allows", async () => {
    expectSuccess(cli(["secret", "create", "openai", "--from-literal", "api_key=sk-test-update-1"]));
    expectSuccess(
      cli([
        "llm",
        "create",
        "gpt",
        "--provider",
        "openai",
        "--model",
        "gpt-4o",
        "--api-key-ref",
        "openai/api_key",
        "--max-tokens",
        "100",
        "--stream-usage",
        "off",
      ]),
    );
    const llm = () => json(cli(["get", "llms", "--json"]))[0]!;
    expect(llm()).toMatchObject({ model: "gpt-4o", streamUsage: false, defaults: { max_tokens: 100 } });
    expect(
      expectSuccess(
        cli([
          "llm",
          "update",
          "gpt",
          "--model",
          "gpt-4.1",
          "--description",
          "team model",
          "--stream-usage",
          "on",
          "--max-tokens",
          "none",
          "--timeout-ms",
          "30000",
        ]),
      ),
    ).toBe("llm gpt updated\n");
    expect(llm()).toMatchObject({ model: "gpt-4.1", description: "team model", streamUsage: true, defaults: {}, timeoutMs: 30000 });
    // The operator moves the key: the new origin joins the Secret's list.
    expectSuccess(cli(["llm", "update", "gpt", "--url", "https://eu.example.com/v1"]));
    expect(json(cli(["get", "secrets", "--json"]))[0]).toMatchObject({ allowedOrigins: ["https://api.openai.com", "https://eu.example.com"] });
    expectSuccess(cli(["secret", "update", "openai", "--allowed-origin", "https://api.openai.com"]));
    expectSuccess(cli(["llm", "update", "gpt", "--url", "none", "--api-key-ref", "none"]));
    expect(llm()).toMatchObject({ url: null, apiKeyRef: null });
    expectSuccess(cli(["llm", "update", "gpt", "--sampling", "none"]));
    expectSuccess(cli(["llm", "update", "gpt", "--structured-outputs", "off"]));
    expect(llm().capabilities).toEqual({ sampling: "none", structuredOutputs: false });
    expectUsageError(cli(["llm", "update", "gpt", "--sampling", "some"]), /--sampling takes both, one or none/);
    expectUsageError(cli(["llm", "update", "gpt"]), /needs at least one field flag/);
    expectUsageError(cli(["llm", "update", "gpt", "--stream-usage", "maybe"]), /--stream-usage takes on or off/);
    expectUsageError(cli(["llm", "update", "gpt", "--max-tokens", "lots"]), /--max-tokens must be a whole number/);
    expectRefused(cli(["llm", "update", "ghost", "--model", "m"]), /llm 'ghost' not found/);
    expectRefused(cli(["llm", "update", "gpt", "--url", "http://169.254.169.254/v1"]), /link-local and cloud metadata addresses are refused/);
    // Prices of its own (USD per million tokens), merged flag by flag, and back to the price table.
    expectSuccess(cli(["llm", "update", "gpt", "--price-input", "2.5", "--price-output", "10", "--price-cache-read", "1.25"]));
    expect(llm().pricing).toEqual({ input: 2.5, output: 10, cacheRead: 1.25 });
    expectSuccess(cli(["llm", "update", "gpt", "--price-cache-read", "none", "--price-output", "12"]));
    expect(llm().pricing).toEqual({ input: 2.5, output: 12 });
    expectUsageError(cli(["llm", "update", "gpt", "--price-input", "cheap"]), /--price-input takes USD per million tokens/);
    expectRefused(cli(["llm", "update", "gpt", "--price-output", "-3"]), /pricing.output: must not be negative/);
    expectSuccess(cli(["llm", "update", "gpt", "--price-input", "none"]));
    expect(llm().pricing).toBeNull();
    expectRefused(cli(["llm", "create", "half", "--provider", "vllm", "--model", "m", "--url", "http://10.1.1.1/v1", "--price-input", "1"]), /pricing.output/);
  });

  it("llm create --provider route takes targets in groups with weights; get llms shows them", async () => {
    for (const name of ["a", "b", "c"]) expectSuccess(cli(["llm", "create", name, "--provider", "openai", "--model", "gpt-4o"]));
    const create = ["llm", "create", "fast", "--provider", "route", "--target", "a,weight=3", "--target", "b", "--target", "c,group=1"];
    expect(expectSuccess(cli([...create, "--max-attempts", "2", "--cooldown-s", "10", "--affinity", "session"]))).toBe("llm fast created\n");
    const routes = () => json(cli(["get", "llms", "--json"])).filter((llm) => llm.provider === "route");
    expect(routes()[0]!.routing).toEqual({
      targets: [
        { llm: "a", group: 0, weight: 3 },
        { llm: "b", group: 0, weight: 1 },
        { llm: "c", group: 1, weight: 1 },
      ],
      maxAttempts: 2,
      failureThreshold: 3,
      cooldownS: 10,
      affinity: "session",
    });
    expect(expectSuccess(cli(["get", "llms"]))).toMatch(/fast +route +a,weight=3 b c,group=1/);
    // Targets replace the list; other settings stay; none returns one to its default.
    expectSuccess(cli(["llm", "update", "fast", "--target", "c", "--max-attempts", "none", "--affinity", "none"]));
    expect(routes()[0]!.routing).toMatchObject({ targets: [{ llm: "c", group: 0, weight: 1 }], maxAttempts: 3, cooldownS: 10, affinity: null });
    expectUsageError(cli(["llm", "update", "fast", "--target", "a,priority=2"]), /--target takes LLM\[,group=G\]\[,weight=W\]/);
    expectRefused(cli(["llm", "create", "loop", "--provider", "route", "--target", "fast"]), /'fast' is a route; a route cannot target a route/);
    expectRefused(cli(["delete", "llm", "c"]), /llm 'c' is a target of route 'fast'/);
    expectRefused(cli(["llm", "create", "plain", "--provider", "openai"]), /model: must not be empty/);
  });

  it("secret set rotates one value from stdin; secret update edits the allowed origins", async () => {
    expectSuccess(cli(["secret", "create", "openai", "--from-literal", "api_key=sk-old-value-1", "--allowed-origin", "https://api.example.com"]));
    expect(expectSuccess(cli(["secret", "set", "openai", "api_key"], { input: "sk-new-value-2\n" }))).toBe("secret openai key api_key set\n");
    await inProcess(dataDir(), async (store) => {
      await expect(resolveSecretValue(store, { secret: "openai", key: "api_key" }, "https://api.example.com")).resolves.toBe("sk-new-value-2");
    });
    expect(expectSuccess(cli(["secret", "update", "openai", "--clear-allowed-origins"]))).toBe("secret openai updated (allowed origins: none)\n");
    expectRefused(cli(["secret", "update", "openai", "--allowed-origin", "https://x.example/v1"]), /no path, query or credentials/);
    expectUsageError(cli(["secret", "update", "openai", "--clear-allowed-origins", "--allowed-origin", "https://x.example"]), /exclude each other/);
    expectRefused(cli(["secret", "set", "ghost", "api_key"], { input: "v\n" }), /secret 'ghost' not found/);
  });

  it("audit list --since keeps recent rows; listings refuse a directory without a database instead of creating one", async () => {
    expectSuccess(cli(["user", "create", "alice"]));
    const recent = expectSuccess(cli(["audit", "list", "--since", "1h", "--json"]))
      .trim()
      .split("\n");
    expect(recent.map((line) => JSON.parse(line).event)).toEqual(["user_created"]);
    expectUsageError(cli(["audit", "list", "--since", "yesterday"]), /--since must be a number and a unit/);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "gw-nodb-"));
    for (const args of [
      ["get", "llms"],
      ["audit", "list"],
    ]) {
      const result = runCli(empty, args);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(
        `llm-gateway: no gateway database at ${path.join(empty, "gateway.db")}: run the CLI where the gateway runs, or set GATEWAY_DATA_DIR to its data directory\n`,
      );
    }
    expect(fs.readdirSync(empty)).toEqual([]);
  });

  it("user disable marks the user disabled; delete user removes it", async () => {
    expectSuccess(cli(["user", "create", "alice"]));
    expectSuccess(cli(["token", "create", "alice"]));
    expect(expectSuccess(cli(["user", "disable", "alice"]))).toBe("user alice disabled\n");
    expect(json(cli(["get", "users", "--json"]))).toEqual([expect.objectContaining({ name: "alice", disabled: true })]);
    expect(expectSuccess(cli(["delete", "user", "alice"]))).toBe("user alice deleted\n");
    expect(json(cli(["get", "users", "--json"]))).toEqual([]);
    expect(json(cli(["get", "tokens", "--json"]))).toEqual([]);
  });

  it("secret values reach no output and no database file in plain text", async () => {
    const outputs: CliResult[] = [];
    const run = (args: string[], options?: Parameters<typeof runCli>[2]) => {
      const result = cli(args, options);
      outputs.push(result);
      return result;
    };
    expect(expectSuccess(run(["secret", "create", "openai", "--from-literal", `api_key=${SECRET_VALUE}`, "--from-literal", "org=a=b"]))).toBe(
      "secret openai created\n",
    );
    expectSuccess(run(["secret", "create", "piped", "--from-stdin", "api_key"], { input: `${SECRET_VALUE}\n` }));
    expectRefused(run(["secret", "create", "openai", "--from-literal", `api_key=${SECRET_VALUE}`]), /secret 'openai' already exists/);
    expectRefused(run(["secret", "create", "Bad_Name", "--from-literal", `api_key=${SECRET_VALUE}`]), /name: must be/);
    expectRefused(run(["secret", "create", "wrong", "--backend", "env", "--from-literal", `api_key=${SECRET_VALUE}`]), /takes no literal values/);
    expectUsageError(run(["secret", "create", "x", "--from-literal", SECRET_VALUE]), /--from-literal takes KEY=VALUE/);
    expectUsageError(run(["secret", "create", "x", `--from-literal=k=${SECRET_VALUE}`, SECRET_VALUE]), /too many arguments/);
    expectUsageError(run(["secret", "create", "x", `--from-literl=k=${SECRET_VALUE}`]), /unknown flag '--from-literl'/);
    expectSuccess(run(["llm", "create", "gpt", "--provider", "openai", "--model", "gpt-4o", "--api-key-ref", "openai/api_key"]));
    const secrets = run(["get", "secrets", "--json"]);
    expect(json(secrets)).toEqual([
      // The operator's llm create let the key go to the Llm's origin.
      expect.objectContaining({ name: "openai", backend: "local", keys: ["api_key", "org"], allowedOrigins: ["https://api.openai.com"], usedBy: ["gpt"] }),
      expect.objectContaining({ name: "piped", backend: "local", keys: ["api_key"], usedBy: [] }),
    ]);
    expect(expectSuccess(run(["get", "secrets"]))).toMatch(
      /^NAME +BACKEND +KEYS +ALLOWED ORIGINS +USED BY +UPDATED\nopenai +local +api_key,org +https:\/\/api\.openai\.com +gpt +\d{4}-/,
    );
    expectSuccess(run(["get", "llms", "--json"]));
    expectSuccess(run(["audit", "list", "--json"]));
    expectSuccess(run(["audit", "list"]));
    for (const result of outputs) expect(result.stdout + result.stderr).not.toContain(SECRET_VALUE);
    for (const file of dataFiles(dataDir())) expect(file.content.includes(SECRET_VALUE), file.name).toBe(false);
  });

  it("secret create picks env or openbao from the flags, and --from-stdin strips one newline", async () => {
    expectSuccess(cli(["secret", "create", "from-env", "--from-env", "api_key=GW_TEST_OPENAI_API_KEY"]));
    expectSuccess(cli(["secret", "create", "bao", "--openbao-path", "kv/team/openai"]));
    expectSuccess(
      cli(["secret", "create", "multi", "--from-stdin", "pem", "--allowed-origin", "https://api.example.com/"], { input: "line one\nline two\n\n" }),
    );
    expectRefused(cli(["secret", "create", "bao2", "--backend", "openbao"]), /openbaoPath/);
    expectUsageError(cli(["secret", "create", "dup", "--from-literal", "k=1", "--from-stdin", "k"], { input: "2" }), /key 'k' is given more than once/);
    expect(json(cli(["get", "secrets", "--json"]))).toEqual([
      expect.objectContaining({ name: "bao", backend: "openbao", openbaoPath: "kv/team/openai", keys: [] }),
      expect.objectContaining({ name: "from-env", backend: "env", keys: ["api_key"], envVars: { api_key: "GW_TEST_OPENAI_API_KEY" } }),
      expect.objectContaining({ name: "multi", backend: "local", keys: ["pem"] }),
    ]);
    await inProcess(dataDir(), async (store) => {
      await expect(resolveSecretValue(store, { secret: "multi", key: "pem" }, "https://api.example.com")).resolves.toBe("line one\nline two\n");
    });
  });

  it("llm create maps every flag; a referenced secret cannot be deleted until the llm is gone", async () => {
    expectSuccess(cli(["secret", "create", "anthropic", "--from-literal", `api_key=${SECRET_VALUE}`]));
    const args = ["--provider", "anthropic", "--model", "claude-sonnet-4", "--url", "http://127.0.0.1:9/v1", "--api-key-ref", "anthropic/api_key"];
    expect(expectSuccess(cli(["llm", "create", "claude", ...args, "--max-tokens", "1024", "--timeout-ms", "30000", "--max-concurrency", "4"]))).toBe(
      "llm claude created\n",
    );
    const gemini = ["llm", "create", "gemini", "--provider", "gemini-cli", "--model", "gemini-2.5-pro", "--gemini-path", "/usr/local/bin/gemini"];
    expect(cli(gemini).status).toBe(1);
    expectSuccess(cli(gemini, { env: { GATEWAY_GEMINI_PATHS: "/usr/local/bin/gemini" } }));
    expect(json(cli(["get", "llms", "--json"]))).toEqual([
      expect.objectContaining({
        name: "claude",
        provider: "anthropic",
        model: "claude-sonnet-4",
        url: "http://127.0.0.1:9/v1",
        apiKeyRef: { secret: "anthropic", key: "api_key" },
        defaults: { max_tokens: 1024 },
        timeoutMs: 30000,
        maxConcurrency: 4,
      }),
      expect.objectContaining({ name: "gemini", provider: "gemini-cli", geminiPath: "/usr/local/bin/gemini", apiKeyRef: null }),
    ]);
    expect(expectSuccess(cli(["get", "llms"]))).toMatch(
      /^NAME +PROVIDER +MODEL +URL +API KEY\nclaude +anthropic +claude-sonnet-4 +http:\/\/127\.0\.0\.1:9\/v1 +anthropic\/api_key\n/,
    );
    expectRefused(cli(["llm", "create", "claude", ...args]), /llm 'claude' already exists/);
    expectRefused(cli(["llm", "create", "x", "--provider", "skynet", "--model", "m"]), /provider/);
    expectRefused(cli(["llm", "create", "x", "--provider", "vllm", "--model", "m"]), /needs a url/);
    expectRefused(cli(["llm", "create", "x", "--provider", "openai", "--model", "m", "--api-key-ref", "missing/key"]), /secret 'missing' does not exist/);
    expectUsageError(cli(["llm", "create", "x", "--provider", "openai", "--model", "m", "--api-key-ref", "no-slash"]), /SECRET\/KEY/);
    expectRefused(cli(["delete", "secret", "anthropic"]), /secret 'anthropic' is used by llm 'claude'/);
    expect(expectSuccess(cli(["delete", "llm", "claude"]))).toBe("llm claude deleted\n");
    expect(expectSuccess(cli(["delete", "secret", "anthropic"]))).toBe("secret anthropic deleted\n");
    expect(json(cli(["get", "secrets", "--json"]))).toEqual([]);
  });

  it("binding create, get bindings and delete binding by id", async () => {
    expectSuccess(cli(["user", "create", "alice"]));
    expect(expectSuccess(cli(["binding", "create", "--user", "alice", "--role", "run", "--resource", "llms", "--name", "claude"]))).toBe(
      "binding 1 created: alice run on llms:claude\n",
    );
    expectSuccess(cli(["binding", "create", "--user", "alice", "--role", "view", "--resource", "*"]));
    expect(json(cli(["get", "bindings", "--json"]))).toEqual([
      expect.objectContaining({ id: 1, user: "alice", role: "run", resource: "llms", name: "claude" }),
      expect.objectContaining({ id: 2, user: "alice", role: "view", resource: "*", name: null }),
    ]);
    expect(expectSuccess(cli(["get", "bindings"]))).toMatch(/^ID +USER +ROLE +RESOURCE +NAME\n1 +alice +run +llms +claude\n2 +alice +view +\* +-\n$/);
    expectRefused(cli(["binding", "create", "--user", "alice", "--role", "run", "--resource", "llms", "--name", "claude"]), /already has this binding/);
    expectRefused(cli(["binding", "create", "--user", "alice", "--role", "owner", "--resource", "llms"]), /role/);
    expectRefused(cli(["binding", "create", "--user", "ghost", "--role", "view", "--resource", "llms"]), /user 'ghost' not found/);
    expect(expectSuccess(cli(["delete", "binding", "1"]))).toBe("binding 1 deleted\n");
    expect(json(cli(["get", "bindings", "--json"])).map((binding) => binding.id)).toEqual([2]);
  });

  // Every bad input is covered at the verb (server/limits/limits.test.ts); here, that the CLI reports them.
  it("limit create, update and delete; get limits; bad input is a field error, exit 1", async () => {
    expectSuccess(cli(["user", "create", "alice"]));
    expectSuccess(cli(["llm", "create", "gpt", "--provider", "openai", "--model", "gpt-4o"]));
    expect(expectSuccess(cli(["limit", "create", "--user", "alice", "--llm", "gpt", "--metric", "cost_usd", "--window", "day", "--max", "2.5"]))).toBe(
      "limit 1 created: user alice on llm gpt: cost_usd per day ≤ 2.5\n",
    );
    expectSuccess(cli(["limit", "create", "--default", "--metric", "concurrent", "--max", "4"]));
    expect(json(cli(["get", "limits", "--json"]))).toEqual([
      expect.objectContaining({
        id: 1,
        scope: { user: "alice", llm: "gpt" },
        metric: "cost_usd",
        window: "day",
        max: 2.5,
        used: 0,
        reserved: 0,
        remaining: 2.5,
      }),
      expect.objectContaining({ id: 2, scope: { default: true }, metric: "concurrent", window: null, max: 4, used: 0, resetsAt: null }),
    ]);
    expect(expectSuccess(cli(["get", "limits"]))).toMatch(
      /^ID +SCOPE +METRIC +WINDOW +MAX +USED +RESERVED +RESETS\n1 +user alice on llm gpt +cost_usd +day +2\.5 +0 +0 +\d{4}-\d\d-\d\dT00:00:00\.000Z\n2 +every user +concurrent +- +4 +0 +0 +-\n$/,
    );
    expect(expectSuccess(cli(["limit", "update", "2", "--max", "8"]))).toBe("limit 2 updated: every user: concurrent ≤ 8\n");
    expectRefused(
      cli(["limit", "create", "--user", "alice", "--metric", "requests", "--window", "day", "--max", "-5"]),
      /^llm-gateway: max: must not be negative/,
    );
    expectRefused(
      cli(["limit", "create", "--user", "alice", "--metric", "requests", "--window", "day", "--max", "lots"]),
      /^llm-gateway: max: must be a number/,
    );
    expectRefused(
      cli(["limit", "create", "--user", "alice", "--metric", "concurrent", "--window", "day", "--max", "1"]),
      /window: a concurrent limit has no window/,
    );
    expectRefused(
      cli(["limit", "create", "--user", "ghost", "--metric", "requests", "--window", "day", "--max", "1"]),
      /scope.user: user 'ghost' does not exist/,
    );
    expectUsageError(cli(["limit", "create", "--metric", "requests", "--window", "day", "--max", "1"]), /needs a scope/);
    expectUsageError(cli(["limit", "delete", "first"]), /numeric id/);
    expect(expectSuccess(cli(["limit", "delete", "1"]))).toBe("limit 1 deleted\n");
    expect(json(cli(["get", "limits", "--json"])).map((limit) => limit.id)).toEqual([2]);
  });

  it("usage prints cost and tokens by UTC day from the audit log; --json gives the whole summary", async () => {
    expectSuccess(cli(["user", "create", "alice"]));
    // Both calls at the start of today (UTC), so they share a day whenever the test runs.
    const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    await inProcess(dataDir(), (store) =>
      insertAuditRows(store, [
        { ts: today, user: "alice", llm: "gpt", promptTokens: 90, completionTokens: 10, totalTokens: 100, costUsd: 0.0125, priceSource: "table" },
        { ts: today, user: "alice", llm: "local", model: "llama3.2", promptTokens: 5, completionTokens: 5, totalTokens: 10, priceSource: "none" },
        { ts: today - 40 * 86_400_000, user: "alice", llm: "gpt", promptTokens: 1, completionTokens: 1, totalTokens: 2, costUsd: 9, priceSource: "table" },
      ]),
    );
    const summary = JSON.parse(expectSuccess(cli(["usage", "--json"])));
    expect(summary.totals).toEqual({ calls: 2, promptTokens: 95, completionTokens: 15, totalTokens: 110, costUsd: 0.0125, unpricedCalls: 1 });
    expect(summary.unpriced).toEqual([{ llm: "local", model: "llama3.2", calls: 1, totalTokens: 10 }]);
    const day = new Date(today).toISOString().slice(0, 10);
    expect(expectSuccess(cli(["usage", "--user", "alice", "--since", "7d"]))).toBe(
      [
        "DAY         CALLS  PROMPT TOKENS  COMPLETION TOKENS  COST USD  UNPRICED CALLS",
        `${day}  2      95             15                 0.01250   1`,
        "total: 2 calls, 110 tokens, $0.01250; calls without a price: 1 (--json lists them as unpriced)",
        "",
      ].join("\n"),
    );
    expectUsageError(cli(["usage", "--since", "soon"]), /--since must be a number and a unit/);
  });

  it("audit list prints @cli rows newest first, filters, and --json is one object per line", async () => {
    expectSuccess(cli(["user", "create", "alice"]));
    expectSuccess(cli(["token", "create", "alice"]));
    expectSuccess(cli(["secret", "create", "s", "--from-literal", `k=${SECRET_VALUE}`]));
    expectSuccess(cli(["llm", "create", "m", "--provider", "ollama", "--model", "llama3", "--api-key-ref", "s/k"]));
    expectSuccess(cli(["binding", "create", "--user", "alice", "--role", "run", "--resource", "llms"]));
    expectSuccess(cli(["user", "disable", "alice"]));
    const output = expectSuccess(cli(["audit", "list", "--json"]));
    const rows = output
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((row) => row.event)).toEqual(["user_disabled", "rolebinding_created", "llm_created", "secret_created", "token_created", "user_created"]);
    for (const row of rows) {
      expect(row).toMatchObject({ user: "@cli", tokenSha: null });
      for (const field of [
        "id",
        "ts",
        "requestId",
        "llm",
        "provider",
        "model",
        "streaming",
        "status",
        "durationMs",
        "ttftMs",
        "promptTokens",
        "completionTokens",
        "totalTokens",
        "error",
        "clientIp",
        "upstreamRequestId",
        "api",
        "sessionId",
      ]) {
        expect(row).toHaveProperty(field);
      }
    }
    expect(output).not.toContain(SECRET_VALUE);
    expect(
      expectSuccess(cli(["audit", "list", "--json", "--limit", "2"]))
        .trimEnd()
        .split("\n"),
    ).toHaveLength(2);
    // Management rows have no API: filtering by one finds none; an unknown one is refused.
    expect(expectSuccess(cli(["audit", "list", "--json", "--api", "messages"])).trim()).toBe("");
    const badApi = cli(["audit", "list", "--api", "completions"]);
    expect(badApi.status).toBe(1);
    expect(badApi.stderr).toMatch(/api/);
    expect(
      expectSuccess(cli(["audit", "list", "--json", "--event", "llm_created"]))
        .trimEnd()
        .split("\n"),
    ).toHaveLength(1);
    expect(expectSuccess(cli(["audit", "list", "--json", "--user", "nobody"]))).toBe("");
    const table = expectSuccess(cli(["audit", "list", "--event", "secret_created"]));
    expect(table).toMatch(/^ID +TIME +EVENT +USER +LLM +API +STATUS +MS +DETAIL\n\d+ +\d{4}-\S+ +secret_created +@cli +- +- +- +- +secret s\n$/);
    expectRefused(cli(["audit", "list", "--limit", "0"]), /limit/);
    expect(expectSuccess(cli(["audit", "prune"]))).toBe("pruned 0 audit rows\n");
  });

  // On PostgreSQL the key comes from GATEWAY_MASTER_KEY (shared by the replicas), never a file to rotate.
  it.skipIf(TEST_ENGINE === "postgres")("secret rotate-master-key re-encrypts values that stay readable", async () => {
    expectSuccess(
      cli([
        "secret",
        "create",
        "openai",
        "--from-literal",
        `api_key=${SECRET_VALUE}`,
        "--from-literal",
        "org=acme",
        "--allowed-origin",
        "https://api.example.com",
      ]),
    );
    const keyFile = path.join(dataDir(), "master.key");
    const original = fs.readFileSync(keyFile, "utf8");
    const first = expectSuccess(cli(["secret", "rotate-master-key"]));
    expect(first).toMatch(/^re-encrypted 2 values under master key [0-9a-f]{16}\n$/);
    const rotated = fs.readFileSync(keyFile, "utf8");
    expect(rotated).not.toBe(original);
    expect(expectSuccess(cli(["secret", "rotate-master-key"]))).not.toBe(first);
    expect(fs.readFileSync(keyFile, "utf8")).not.toBe(rotated);
    expect(json(cli(["get", "secrets", "--json"]))).toEqual([expect.objectContaining({ name: "openai", keys: ["api_key", "org"] })]);
    await inProcess(dataDir(), async (store) => {
      await expect(resolveSecretValue(store, { secret: "openai", key: "api_key" }, "https://api.example.com")).resolves.toBe(SECRET_VALUE);
      await expect(resolveSecretValue(store, { secret: "openai", key: "org" }, "https://api.example.com")).resolves.toBe("acme");
    });
  });

  it("a wrong master key is refused with a message about the key, before anything is written", async () => {
    expectSuccess(cli(["secret", "create", "openai", "--from-literal", `api_key=${SECRET_VALUE}`]));
    const env = { GATEWAY_MASTER_KEY: randomBytes(32).toString("base64") };
    expectRefused(
      cli(["secret", "create", "other", "--from-literal", "api_key=another-value"], { env }),
      /master key .* is not the key the stored secrets were encrypted with/,
    );
    expectRefused(cli(["secret", "rotate-master-key"], { env }), /master key/);
    expectRefused(
      cli(["secret", "create", "bad-key", "--from-literal", "k=v"], { env: { GATEWAY_MASTER_KEY: "too-short" } }),
      /GATEWAY_MASTER_KEY must be 32 bytes/,
    );
    expect(json(cli(["get", "secrets", "--json"], { env })).map((secret) => secret.name)).toEqual(["openai"]);
  });

  it("an unexpected failure is one line without a stack trace, exit 1", async () => {
    const file = path.join(dataDir(), "not-a-directory");
    fs.writeFileSync(file, "");
    const result = runCli(file, ["get", "users"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^llm-gateway: [^\n]+\n$/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
