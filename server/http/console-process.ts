import type { Store } from "../../db/store";
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { log } from "../ops/log";
import { CONSOLE_MAX_BODY_BYTES } from "./console-body";

const RESTART_DELAY_MS = 1000;
const STOP_TIMEOUT_MS = 5000;
// Meant for one connection, not to be relayed (RFC 9110 §7.6.1); Node sets its own framing.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"]);
// Methods whose requests carry no body: node's client sends such a body unframed, so the console
// would read it as a request of its own, whose answer goes to whoever uses that connection next.
const BODYLESS_METHODS = new Set(["GET", "HEAD", "DELETE", "OPTIONS", "TRACE"]);

export interface ConsoleProcess {
  /** Relays one request to the console process and its answer back. */
  relay(request: http.IncomingMessage, response: http.ServerResponse): void;
  stop(): Promise<void>;
}

/**
 * Starts the console (Next) in its own process on a Unix socket in a private directory, restarts
 * it if it dies, and relays requests to it. After each relayed write the configuration version is
 * checked before the answer goes out, so a change made in the console applies to the very next
 * inference call.
 */
export async function startConsoleProcess(store: Store): Promise<ConsoleProcess> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "llm-gateway-"));
  const socketPath = path.join(directory, "console.sock");
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "console.mjs");
  const agent = new http.Agent({ keepAlive: true });
  let child: ChildProcess | null = null;
  let stopping = false;

  const spawnChild = (): Promise<void> =>
    new Promise((resolve, reject) => {
      fs.rmSync(socketPath, { force: true });
      const started = fork(script, [socketPath], { stdio: ["ignore", "inherit", "inherit", "ipc"], env: { ...process.env, GATEWAY_CONSOLE_RELAYED: "1" } });
      child = started;
      let ready = false;
      started.once("message", () => {
        ready = true;
        resolve();
      });
      started.once("exit", (code, signal) => {
        if (!ready) return reject(new Error(`the console process exited before it was ready (${signal ?? code})`));
        if (stopping) return;
        log.error({ msg: "console process exited; restarting", code, signal });
        setTimeout(() => void spawnChild().catch((error: Error) => log.error({ msg: "console restart failed", error: error.message })), RESTART_DELAY_MS);
      });
    });
  await spawnChild();

  return {
    relay(request, response) {
      const refusal = relayRefusal(request);
      if (refusal) return refuse(request, response, refusal);
      const writes = request.method !== "GET" && request.method !== "HEAD";
      const headers = endToEnd(request.headers);
      // The body goes out with the framing it came with: a length, or chunks (never unframed).
      if (request.headers["transfer-encoding"] !== undefined) headers["transfer-encoding"] = "chunked";
      const outgoing = http.request({ agent, socketPath, method: request.method, path: request.url, headers }, (answer) => {
        // A change made through the console is served here before its answer reaches the client.
        void (writes ? store.checkChanges() : Promise.resolve()).then(() => {
          response.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEndRaw(answer.rawHeaders));
          answer.pipe(response);
        });
      });
      // Set when the relay itself let the console request go: the client left, or its body was too large.
      let abandoned = false;
      outgoing.on("error", (error) => {
        // A client that closed its request is no failure of the console's.
        if (abandoned) return;
        if (!stopping) log.error({ msg: "console relay failed", error: error.message });
        if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" }).end("The console is restarting; try again in a moment.");
        else response.destroy();
      });
      response.on("close", () => {
        if (response.writableFinished) return;
        abandoned = true;
        outgoing.destroy();
      });
      // A chunked body has no length to check up front: count it as it goes, and stop at the bound.
      let relayed = 0;
      request.on("data", (chunk: Buffer) => {
        relayed += chunk.length;
        if (relayed <= CONSOLE_MAX_BODY_BYTES) return void (outgoing.write(chunk) || request.pause());
        request.removeAllListeners("data");
        abandoned = true;
        outgoing.destroy();
        if (!response.headersSent) refuse(request, response, TOO_LARGE);
        else response.destroy();
      });
      outgoing.on("drain", () => request.resume());
      request.on("end", () => {
        if (relayed <= CONSOLE_MAX_BODY_BYTES) outgoing.end();
      });
    },
    async stop() {
      stopping = true;
      agent.destroy();
      const running = child;
      if (running && running.exitCode === null && running.signalCode === null) {
        const exited = new Promise((resolve) => running.once("exit", resolve));
        running.kill("SIGTERM");
        const timer = setTimeout(() => running.kill("SIGKILL"), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

interface Refusal {
  status: number;
  message: string;
  /** The connection cannot be trusted with another request (its framing is in doubt). */
  close: boolean;
}

const TOO_LARGE: Refusal = { status: 413, message: "The request body is too large.", close: false };

/** Requests the console is never handed: a body where the method has none, a target that is not a path, a body too large. */
function relayRefusal(request: http.IncomingMessage): Refusal | null {
  const hasBody = request.headers["transfer-encoding"] !== undefined || Number(request.headers["content-length"] ?? 0) > 0;
  if (hasBody && BODYLESS_METHODS.has(request.method ?? "GET")) return { status: 400, message: `A ${request.method} request carries no body.`, close: true };
  if (!request.url?.startsWith("/") || request.url.startsWith("//")) return { status: 400, message: "The request target must be a path.", close: true };
  if (Number(request.headers["content-length"] ?? 0) > CONSOLE_MAX_BODY_BYTES) return TOO_LARGE;
  return null;
}

/**
 * Answers for the relay. A body too large is read on and dropped (never buffered), so the client
 * sees the answer instead of a broken pipe; a request whose framing is in doubt ends the connection.
 */
function refuse(request: http.IncomingMessage, response: http.ServerResponse, refusal: Refusal): void {
  const headers: http.OutgoingHttpHeaders = { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" };
  if (refusal.close) headers.connection = "close";
  else request.resume();
  response.writeHead(refusal.status, headers).end(`${refusal.message}\n`);
}

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const kept: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) kept[name] = value;
  return kept;
}

function endToEndRaw(raw: string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < raw.length; index += 2) {
    if (!HOP_BY_HOP.has(raw[index]!.toLowerCase())) kept.push(raw[index]!, raw[index + 1]!);
  }
  return kept;
}
