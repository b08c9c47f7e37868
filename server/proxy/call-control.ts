import { AppError, isAppError } from "../errors";

const UNDICI_TIMEOUTS = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/**
 * One upstream call's cancellation. HTTP adapters pass `clientSignal` and `idleTimeoutMs` to the
 * HTTP client, whose own header/body timeouts measure upstream silence at no extra cost per chunk.
 * Adapters without such a client (a subprocess) use `signal`, which also aborts after
 * `idleTimeoutMs` without a `touch()`; it is only built when asked for.
 */
export class CallControl {
  private controller: AbortController | null = null;
  private timer: NodeJS.Timeout | null = null;
  private onClientAbort: (() => void) | null = null;
  private timedOut = false;

  constructor(
    readonly clientSignal: AbortSignal,
    readonly idleTimeoutMs: number,
  ) {}

  get clientGone(): boolean {
    return this.clientSignal.aborted;
  }

  get signal(): AbortSignal {
    if (this.controller) return this.controller.signal;
    const controller = new AbortController();
    this.controller = controller;
    this.timer = setTimeout(() => {
      this.timedOut = true;
      controller.abort(new AppError("upstream_timeout", `upstream sent nothing for ${this.idleTimeoutMs} ms`));
    }, this.idleTimeoutMs);
    this.onClientAbort = () => controller.abort(new AppError("internal", "client went away"));
    if (this.clientSignal.aborted) this.onClientAbort();
    else this.clientSignal.addEventListener("abort", this.onClientAbort, { once: true });
    return controller.signal;
  }

  /** The upstream sent something: re-arm the idle timer of `signal`. */
  touch(): void {
    this.timer?.refresh();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.onClientAbort) this.clientSignal.removeEventListener("abort", this.onClientAbort);
  }

  /**
   * Maps a failed upstream call to the error the client should see: `during` says whether the
   * answer had begun (a cut stream is no unreachable provider).
   */
  upstreamError(error: unknown, during: "request" | "answer" = "request"): AppError {
    const code = (error as { code?: unknown } | null)?.code;
    if (this.timedOut || (typeof code === "string" && UNDICI_TIMEOUTS.has(code))) {
      return new AppError("upstream_timeout", "The upstream provider did not answer in time");
    }
    if (isAppError(error)) return error;
    if (during === "answer") return new AppError("upstream_unreachable", "The upstream provider's answer ended before it was complete");
    return new AppError("upstream_unreachable", "The upstream provider could not be reached");
  }
}

/** What a log line says of a network failure: its errno or undici code and message (never a key). */
export function networkCause(error: unknown): { code: string | null; cause: string } {
  const failure = error as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  const code = typeof failure?.code === "string" ? failure.code : typeof failure?.cause?.code === "string" ? failure.cause.code : null;
  const message = typeof failure?.cause?.message === "string" ? failure.cause.message : typeof failure?.message === "string" ? failure.message : String(error);
  return { code, cause: message };
}
