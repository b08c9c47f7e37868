import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { errorResponse } from "./respond";

describe("errorResponse", () => {
  it("sends Retry-After for an error that says when to try again, in whole seconds", async () => {
    const busy = errorResponse(new AppError("rate_limited", "busy", { retryAfterSeconds: 1.2 }), "req-1", { "x-request-id": "req-1" });
    expect(busy.status).toBe(429);
    expect(busy.headers).toMatchObject({ "retry-after": "2", "x-request-id": "req-1" });
  });

  it("sends no Retry-After otherwise, and a generic 500 for an unknown error", async () => {
    expect(errorResponse(new AppError("forbidden", "no"), "req-2", {}).headers).not.toHaveProperty("retry-after");
    const unknown = errorResponse(new Error("secret detail"), "req-3", {});
    expect(unknown.status).toBe(500);
    expect(new TextDecoder().decode(unknown.body as Uint8Array)).toContain("Internal error (request req-3)");
    expect(new TextDecoder().decode(unknown.body as Uint8Array)).not.toContain("secret detail");
  });
});
