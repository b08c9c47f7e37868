#!/usr/bin/env node
// A stand-in for @google/gemini-cli in headless stream-json mode, for tests. It replays the events
// recorded from the real CLI (text-answer.jsonl, tool-refused.jsonl) and follows words in the prompt:
//   record-to=PATH      write what it saw (argv, cwd, env, settings, policies, pids) to PATH as JSON
//   please hang         after init, start a grandchild and stay silent forever
//   hang after output   send one text delta, then do the same
//   stream slowly       send six text deltas 150 ms apart
//   run a shell command ask for run_shell_command; "run" it only if the settings allow it (never really)
//   fail after output   send a delta, then an error result and exit 1
//   leak the key        print GEMINI_API_KEY to stderr and in the error result, exit 1
//   invalid stream      error event + error result with exit 0 (the CLI's INVALID_STREAM ending)
//   leave a daemon      start a process outside its group that keeps stdout open, then answer and exit
//   exit N              an error result, then exit code N
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const emit = (event) => process.stdout.write(`${JSON.stringify({ ...event, timestamp: new Date().toISOString() })}\n`);
const recorded = (name) => fs.readFileSync(path.join(here, name), "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));

function parseArguments(argv) {
  const options = { prompt: undefined, outputFormat: "text", model: "auto" };
  const names = { "-p": "prompt", "--prompt": "prompt", "-o": "outputFormat", "--output-format": "outputFormat", "-m": "model", "--model": "model" };
  for (let index = 0; index < argv.length; index += 1) {
    const [flag, inline] = argv[index].split(/=(.*)/s);
    const key = names[flag];
    if (!key) {
      process.stderr.write(`Unknown argument: ${argv[index]}\n`);
      process.exit(1);
    }
    options[key] = inline ?? argv[++index];
  }
  return options;
}

async function readStdin() {
  let data = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) data += chunk;
  return data;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

function readPolicies(directory) {
  try {
    return Object.fromEntries(fs.readdirSync(directory).map((name) => [name, fs.readFileSync(path.join(directory, name), "utf8")]));
  } catch {
    return {};
  }
}

// The CLI's rules: tools.core is an allowlist, tools.exclude a denylist, a `toolName = "*"` deny policy hides all.
function toolAllowed(name, settings, policies) {
  const core = settings?.tools?.core;
  if (Array.isArray(core) && !core.some((entry) => entry === name || entry.startsWith(`${name}(`))) return false;
  if ((settings?.tools?.exclude ?? []).includes(name)) return false;
  return !Object.values(policies).some((text) => /toolName\s*=\s*"\*"/.test(text) && /decision\s*=\s*"deny"/.test(text));
}

const options = parseArguments(process.argv.slice(2));
const stdin = await readStdin();
const prompt = stdin ? (options.prompt ? `${stdin}\n\n${options.prompt}` : stdin) : (options.prompt ?? "");
if (!prompt) {
  process.stderr.write("No input provided via stdin. Input can be provided by piping data into gemini or using the --prompt option.\n");
  process.exit(42);
}
const home = process.env.HOME ?? "";

// The CLI's lookup (packages/cli/src/config/settings.ts `findEnvFile`): from the working directory
// up to `/`, `.gemini/.env` before `.env` at each level, the first found wins; then the home's.
function findEnvFile(start) {
  for (let directory = path.resolve(start); ; directory = path.dirname(directory)) {
    for (const candidate of [path.join(directory, ".gemini", ".env"), path.join(directory, ".env")]) if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(directory) === directory) break;
  }
  for (const candidate of [path.join(home, ".gemini", ".env"), path.join(home, ".env")]) if (fs.existsSync(candidate)) return candidate;
  return null;
}
const settings = readJson(path.join(home, ".gemini", "settings.json"));
const policies = readPolicies(path.join(home, ".gemini", "policies"));
const record = {
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  cwdEntries: fs.readdirSync(process.cwd()),
  env: { ...process.env },
  home,
  settings,
  workspaceSettings: readJson(path.join(process.cwd(), ".gemini", "settings.json")),
  envFile: findEnvFile(process.cwd()),
  envFileText: (() => {
    const file = findEnvFile(process.cwd());
    return file === null ? null : fs.readFileSync(file, "utf8");
  })(),
  policies,
  pid: process.pid,
  processGroup: Number(fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ")[2]),
  prompt,
  grandchildPid: null,
  daemonPid: null,
};
const recordPath = /record-to=(\S+)/.exec(prompt)?.[1];
const saveRecord = () => recordPath && fs.writeFileSync(recordPath, JSON.stringify(record, null, 2));
saveRecord();

const [init, userMessage, ...answer] = recorded("text-answer.jsonl");
const result = answer.pop();
result.stats.duration_ms = 20;
result.stats.models = { [options.model]: result.stats.models["gemini-2.5-flash"] };
emit({ ...init, model: options.model, session_id: crypto.randomUUID() });
await sleep(20);
emit({ ...userMessage, content: prompt });
await sleep(20);

const errorResult = (type, message) => ({ type: "result", status: "error", error: { type, message }, stats: { ...result.stats, total_tokens: 0, input_tokens: 0, output_tokens: 0, models: {} } });

async function hangForever() {
  const grandchild = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", "fake-gemini-grandchild", /marker=(\S+)/.exec(prompt)?.[1] ?? "none"], { stdio: "ignore" });
  record.grandchildPid = grandchild.pid;
  saveRecord();
  setInterval(() => {}, 1000);
}

const exitCode = /\bexit (\d+)\b/.exec(prompt)?.[1];
if (/please hang/.test(prompt)) {
  await hangForever();
} else if (/hang after output/.test(prompt)) {
  emit(answer[0]);
  await hangForever();
} else if (/stream slowly/.test(prompt)) {
  for (let index = 0; index < 6; index += 1) {
    emit({ ...answer[0], content: `part ${index}. ` });
    await sleep(150);
  }
  emit(result);
} else if (/run a shell command/.test(prompt)) {
  const [toolUse, refused, , finalResult] = recorded("tool-refused.jsonl").slice(2);
  emit(toolUse);
  await sleep(20);
  if (toolAllowed(toolUse.tool_name, settings, policies)) {
    emit({ type: "tool_result", tool_id: toolUse.tool_id, status: "success", output: "EXECUTED (emulated) cat /etc/passwd" });
    emit({ ...answer[0], content: "EXECUTED the command." });
  } else {
    emit(refused);
    emit({ ...answer[0], content: "I cannot run commands." });
  }
  await sleep(20);
  emit({ ...finalResult, stats: { ...finalResult.stats, models: { [options.model]: finalResult.stats.models["gemini-2.5-flash"] } } });
} else if (/fail after output/.test(prompt)) {
  emit(answer[0]);
  await sleep(20);
  emit(errorResult("unknown", "[API Error: the stream broke]"));
  process.exit(1);
} else if (/leak the key/.test(prompt)) {
  process.stderr.write(`API key ${process.env.GEMINI_API_KEY} is not valid\n`);
  emit(errorResult("unknown", `[API Error: API key ${process.env.GEMINI_API_KEY} not valid]`));
  process.exit(1);
} else if (/invalid stream/.test(prompt)) {
  emit({ type: "error", severity: "error", message: "Model stream ended with an empty response." });
  emit(errorResult("INVALID_STREAM", "Model stream ended with an empty response."));
} else if (exitCode) {
  const code = Number(exitCode);
  const type = { 41: "FatalAuthenticationError", 42: "FatalInputError", 53: "FatalTurnLimitedError" }[code] ?? "Error";
  process.stderr.write(`fatal: simulated failure with exit ${code}\n`);
  emit(errorResult(type, `simulated ${type}`));
  process.exit(code);
} else {
  if (/leave a daemon/.test(prompt)) {
    const daemon = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)", "fake-gemini-daemon"], { detached: true, stdio: ["ignore", "inherit", "ignore"] });
    daemon.unref();
    record.daemonPid = daemon.pid;
    saveRecord();
  }
  for (const event of answer) {
    emit(event);
    await sleep(20);
  }
  emit(result);
}
