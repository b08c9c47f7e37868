import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { GeminiCommand } from "./executable";
import { CHILD_SETTINGS, DENY_ALL_TOOLS_POLICY } from "./settings";

const STDERR_KEPT_CHARACTERS = 8000;
const STDIO_GRACE_MS = 2000;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why the process could not be started (ENOENT, EACCES…), if it could not. */
  spawnError: string | null;
  /** The tail of what the child wrote to stderr, for the server log only. */
  stderr: string;
}

export interface GeminiChild {
  /** stdout, line by line, as the child writes it. */
  lines: AsyncIterable<string>;
  /** Settles once the child has exited, its process group is gone and its directory removed. */
  exit: Promise<ChildExit>;
  /** Kills the whole process group at once; harmless after the exit. */
  kill(): void;
}

/**
 * Runs the CLI in a fresh temporary directory: `home/` holds the settings that disable its tools,
 * `work/` (the working directory) stays empty, `tmp/` takes the CLI's error reports (which quote
 * the prompt) instead of the shared /tmp. The environment is built from nothing: PATH, LANG, HOME,
 * TMPDIR and the key; no variable of the gateway's own reaches the child. The prompt goes to stdin.
 *
 * The CLI looks for `.gemini/.env` and `.env` from its working directory up to `/` and loads the
 * first it finds, and reads context files up to the project root; the run directory's parents
 * (the shared temporary directory among them) can be written by others. So the run directory
 * holds an empty `.gemini/.env` of its own, where the search ends, and a `.git` marker that makes
 * it the project root.
 */
export async function startGeminiChild(options: {
  command: GeminiCommand;
  args: string[];
  apiKey: string | null;
  prompt: string;
  onOutput: () => void;
}): Promise<GeminiChild> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "gw-gemini-"));
  const home = path.join(root, "home");
  const work = path.join(root, "work");
  const temporary = path.join(root, "tmp");
  try {
    await fs.mkdir(path.join(home, ".gemini", "policies"), { recursive: true, mode: 0o700 });
    await fs.mkdir(work, { mode: 0o700 });
    await fs.mkdir(temporary, { mode: 0o700 });
    await fs.writeFile(path.join(home, ".gemini", "settings.json"), JSON.stringify(CHILD_SETTINGS, null, 2), { mode: 0o600 });
    await fs.writeFile(path.join(home, ".gemini", "policies", "gateway-deny-all-tools.toml"), DENY_ALL_TOOLS_POLICY, { mode: 0o600 });
    await fs.writeFile(path.join(home, ".gemini", ".env"), "", { mode: 0o600 });
    await fs.mkdir(path.join(root, ".gemini"), { mode: 0o700 });
    await fs.writeFile(path.join(root, ".gemini", ".env"), "", { mode: 0o600 });
    await fs.mkdir(path.join(root, ".git"), { mode: 0o700 });
  } catch (error) {
    await fs.rm(root, { recursive: true, force: true });
    throw error;
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: home,
    TMPDIR: temporary,
    LANG: process.env.LANG ?? "C.UTF-8",
  };
  if (options.apiKey) env.GEMINI_API_KEY = options.apiKey;

  // detached: the child leads its own process group, so one kill reaches everything it started.
  // Next's types make NODE_ENV a required key of ProcessEnv; the child deliberately gets none.
  const childEnv = env as NodeJS.ProcessEnv;
  const child = spawn(options.command.command, [...options.command.leadingArgs, ...options.args], {
    cwd: work,
    env: childEnv,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let settled = false;
  const killGroup = () => {
    // Once the group is gone its id may be reused by an unrelated process group.
    if (child.pid === undefined || settled) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // ESRCH: the group is already gone.
    }
  };

  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (text: string) => {
    options.onOutput();
    stderr = (stderr + text).slice(-STDERR_KEPT_CHARACTERS);
  });
  child.stdout.setEncoding("utf8");
  // The child may exit before reading its prompt (bad flags, missing key); EPIPE is expected then.
  child.stdin.on("error", () => {});
  child.stdin.end(options.prompt);

  const exit = new Promise<ChildExit>((resolve) => {
    let code: number | null = null;
    let signal: NodeJS.Signals | null = null;
    let spawnError: string | null = null;
    const finish = () => {
      settled = true;
      fs.rm(root, { recursive: true, force: true })
        .catch(() => {})
        .then(() => resolve({ code, signal, spawnError, stderr }));
    };
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return;
      spawnError = error.code ?? error.message;
      finish();
    });
    child.on("exit", (exitCode, exitSignal) => {
      code = exitCode;
      signal = exitSignal;
      // Descendants left running would keep stdout open (and run on); the group goes with its leader.
      killGroup();
      // One that left the group (setsid) could still hold the pipes; stop waiting for it.
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, STDIO_GRACE_MS).unref();
    });
    child.on("close", () => {
      if (child.pid !== undefined) finish();
    });
  });

  return { lines: readLines(child.stdout, options.onOutput), exit, kill: killGroup };
}

async function* readLines(stream: AsyncIterable<string>, onOutput: () => void): AsyncGenerator<string> {
  let carry = "";
  try {
    for await (const text of stream) {
      onOutput();
      const parts = (carry + text).split("\n");
      carry = parts.pop() ?? "";
      for (const line of parts) if (line.trim() !== "") yield line;
    }
  } catch (error) {
    // The grace timer destroyed a pipe a stray process held open: the output simply ends there.
    if ((error as NodeJS.ErrnoException).code !== "ERR_STREAM_PREMATURE_CLOSE") throw error;
  }
  if (carry.trim() !== "") yield carry;
}
