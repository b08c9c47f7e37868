import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect } from "vitest";
import type { Store } from "../../db/store";
import { withoutDatabase } from "../../tests/helpers/engine";
import { databaseFor, makeDataDir } from "../../tests/helpers/gateway";
import { REPO_ROOT } from "../../tests/helpers/paths";
import { auditWriter } from "../audit/writer";

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: string;
  env?: Record<string, string>;
}

/** Runs the real `llm-gateway` (bin/llm-gateway.mjs) as a child process on `dataDir`. */
export function runCli(dataDir: string, args: readonly string[], options: CliOptions = {}): CliResult {
  const env: NodeJS.ProcessEnv = {
    ...withoutDatabase(process.env),
    GATEWAY_DATA_DIR: dataDir,
    GATEWAY_APP_ROOT: REPO_ROOT,
    ...databaseFor(dataDir).env,
    ...options.env,
  };
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin/llm-gateway.mjs"), ...args], {
    cwd: REPO_ROOT,
    env,
    input: options.input ?? "",
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A new empty data directory (and database) for every test, removed afterwards. */
export function useDataDir(): () => string {
  let dir = "";
  beforeEach(async () => {
    dir = await makeDataDir();
  });
  afterEach(async () => {
    await databaseFor(dir).drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/** Every byte of every file in the data directory (database, WAL, master key). */
export function dataFiles(dataDir: string): Array<{ name: string; content: Buffer }> {
  return fs.readdirSync(dataDir).map((name) => ({ name, content: fs.readFileSync(path.join(dataDir, name)) }));
}

/** Opens `dataDir`'s database in this test process for `work`, as the gateway there would, then closes it. */
export async function inProcess<T>(dataDir: string, work: (store: Store) => Promise<T> | T): Promise<T> {
  const store = await databaseFor(dataDir).open();
  try {
    return await work(store);
  } finally {
    await auditWriter(store).flush();
    await store.close();
  }
}

export async function warmUpCli(): Promise<void> {
  const dir = await makeDataDir();
  runCli(dir, ["--help"]);
  await databaseFor(dir).drop();
  fs.rmSync(dir, { recursive: true, force: true });
}

export function expectUsageError(result: CliResult, reason: RegExp): void {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  const [first] = result.stderr.split("\n");
  expect(first).toMatch(/^llm-gateway: /);
  expect(first).toMatch(reason);
  expect(result.stderr.match(/^llm-gateway: /gm)).toHaveLength(1);
  expect(result.stderr).toMatch(/^usage: llm-gateway /m);
}

export function expectRefused(result: CliResult, reason: RegExp): void {
  expect(result.status, result.stderr).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(/^llm-gateway: [^\n]+\n$/);
  expect(result.stderr).toMatch(reason);
}

export function expectSuccess(result: CliResult): string {
  expect(result.status, result.stderr).toBe(0);
  expect(result.stderr).toBe("");
  return result.stdout;
}

export function json<T = Array<Record<string, unknown>>>(result: CliResult): T {
  return JSON.parse(expectSuccess(result)) as T;
}
