import { AppError } from "../errors";

/**
 * One upstream call's cancellation: aborts when the client goes away or when the upstream has
 * been silent for `idleTimeoutMs` (the timer is re-armed on every byte).
 */
export class CallControl {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onClientAbort = () => this.controller.abort(new AppError("internal", "client went away"));
  timedOut = false;

  constructor(
    private readonly clientSignal: AbortSignal,
    idleTimeoutMs: number,
  ) {
    this.signal = this.controller.signal;
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new AppError("upstream_timeout", `upstream sent nothing for ${idleTimeoutMs} ms`));
    }, idleTimeoutMs);
    if (clientSignal.aborted) this.onClientAbort();
    else clientSignal.addEventListener("abort", this.onClientAbort, { once: true });
  }

  get clientGone(): boolean {
    return this.clientSignal.aborted;
  }

  /** The upstream sent something: re-arm the idle timer. */
  touch(): void {
    this.timer.refresh();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.clientSignal.removeEventListener("abort", this.onClientAbort);
  }

  /** Maps a failed upstream call to the error the client should see. */
  upstreamError(error: unknown): AppError {
    if (this.timedOut) return new AppError("upstream_timeout", "The upstream provider did not answer in time");
    if (error instanceof AppError) return error;
    return new AppError("upstream_unreachable", "The upstream provider could not be reached");
  }
}
