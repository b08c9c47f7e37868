import { describe, expect, it } from "vitest";
import { AppError, openaiErrorBody } from "../../errors";
import { isRetryableError, isRetryableStatus, retryAfterMs, upstreamFailure } from "./transport";
import { newAttemptOutcome, type UpstreamCall } from "./types";

describe("which failures another target may serve", () => {
  it("retries timeouts, conflicts, rate limits, overloads, server errors and this target's refusals; never the request's own faults", () => {
    const retryable = [401, 402, 403, 404, 408, 409, 429, 500, 502, 503, 504, 529];
    const terminal = [400, 405, 413, 415, 422];
    expect(retryable.filter((status) => !isRetryableStatus(status))).toEqual([]);
    expect(terminal.filter((status) => isRetryableStatus(status))).toEqual([]);
  });

  it("retries a connection that failed or went silent, nothing else thrown", () => {
    expect(isRetryableError(new AppError("upstream_unreachable", "refused"))).toBe(true);
    expect(isRetryableError(new AppError("upstream_timeout", "silent"))).toBe(true);
    expect(isRetryableError(new AppError("internal", "bug"))).toBe(false);
    expect(isRetryableError(new AppError("invalid_request", "bad"))).toBe(false);
  });

  it("reads the longest wait asked for, in seconds, milliseconds or as a date", () => {
    const now = Date.UTC(2026, 11, 5, 12, 0, 0);
    expect(retryAfterMs({ "retry-after": "30" }, now)).toBe(30_000);
    expect(retryAfterMs({ "retry-after-ms": "1500" }, now)).toBe(1500);
    expect(retryAfterMs({ "retry-after": "2", "retry-after-ms": "500" }, now)).toBe(2000);
    expect(retryAfterMs({ "retry-after": new Date(now + 90_000).toUTCString() }, now)).toBe(90_000);
    expect(retryAfterMs({ "retry-after": "soon" }, now)).toBeNull();
    expect(retryAfterMs({}, now)).toBeNull();
  });
});

describe("an upstream's refusal", () => {
  const call = {
    requestId: "r1",
    llm: { name: "claude" },
    apiKey: "sk-secret-key-0001",
    outcome: newAttemptOutcome(),
  } as unknown as UpstreamCall;

  it("says what the provider answered and how long it asked to wait, beside the client's answer", () => {
    const result = upstreamFailure(call, 529, 503, openaiErrorBody("Overloaded", "api_error"), { "retry-after": "7" });
    expect(result).toMatchObject({ kind: "complete", status: 503, failure: { upstreamStatus: 529, retryable: true, retryAfterMs: 7000 } });
  });

  it("keeps the provider's 401 as the failure while the client gets a 502 about the gateway's key", () => {
    const result = upstreamFailure(call, 401, 401, openaiErrorBody("bad key sk-secret-key-0001", "authentication_error"), {});
    expect(result).toMatchObject({ kind: "complete", status: 502, failure: { upstreamStatus: 401, retryable: true, retryAfterMs: null } });
    const body = Buffer.from((result as { body: Uint8Array }).body).toString("utf8");
    expect(body).toContain("upstream_auth_failed");
    expect(body).not.toContain("sk-secret-key-0001");
  });

  it("a 400 is no one else's to serve", () => {
    expect(upstreamFailure(call, 400, 400, openaiErrorBody("bad", "invalid_request_error"), {})).toMatchObject({ failure: { retryable: false } });
  });
});
