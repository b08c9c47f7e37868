import { AppError, isAppError } from "../../../errors";
import type { CallControl } from "../../call-control";
import type { ChildExit } from "./child";
import type { CliOutcome } from "./events";

// Exit codes of @google/gemini-cli (packages/core/src/utils/errors.ts `Fatal*Error`, docs/cli/headless.md).
const EXIT_AUTHENTICATION = 41;
const EXIT_INPUT = 42;
const EXIT_TURN_LIMIT = 53;

/** The error a finished run reports to the client, or null when it answered completely. */
export function runFailure(exit: ChildExit, outcome: CliOutcome, control: CallControl, llmName: string): AppError | null {
  if (control.clientGone) return new AppError("internal", "client went away");
  if (timedOut(control)) return control.upstreamError(null);
  if (exit.spawnError !== null) return new AppError("upstream_unreachable", "The Gemini CLI could not be started");
  if (exit.code === 0) {
    if (outcome.result?.status === "success") return null;
    return new AppError("upstream_unreachable", "The Gemini CLI ended without a complete answer");
  }
  if (exit.code === null) return new AppError("upstream_unreachable", `The Gemini CLI was terminated by ${exit.signal ?? "a signal"}`);
  switch (exit.code) {
    case EXIT_INPUT:
      return new AppError("invalid_request", "The Gemini CLI rejected the request as invalid input (exit 42)");
    case EXIT_TURN_LIMIT:
      return new AppError(
        "invalid_request",
        "The conversation exceeded the Gemini CLI's session turn limit (exit 53); shorten the conversation or start a new one",
        {
          detailCode: "turn_limit_exceeded",
        },
      );
    case EXIT_AUTHENTICATION:
      return new AppError(
        "upstream_auth_failed",
        `The provider refused the API key of llm '${llmName}': the Gemini CLI could not authenticate with Gemini (exit 41)`,
        {
          retryable: false,
        },
      );
    default:
      return new AppError("upstream_unreachable", `The Gemini CLI failed (exit ${exit.code})`);
  }
}

/** The control's signal aborts for two reasons only: the client left, or the upstream stayed silent. */
export function timedOut(control: CallControl): boolean {
  const reason: unknown = control.signal.aborted ? control.signal.reason : null;
  return isAppError(reason) && reason.code === "upstream_timeout";
}
