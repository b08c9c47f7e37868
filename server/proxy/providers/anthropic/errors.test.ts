import { describe, expect, it } from "vitest";
import { streamErrorFrame, toOpenAIError } from "./errors";

function anthropicBody(type: string, message: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({ type: "error", error: { type, message, ...extra }, request_id: "req_body" });
}

describe("toOpenAIError", () => {
  it.each([
    [400, "invalid_request_error", 400, null],
    [401, "authentication_error", 401, "invalid_api_key"],
    [402, "billing_error", 402, null],
    [403, "permission_error", 403, null],
    [404, "not_found_error", 404, null],
    [413, "request_too_large", 413, null],
    [429, "rate_limit_error", 429, "rate_limit_exceeded"],
    [500, "api_error", 500, null],
    [504, "timeout_error", 504, null],
    [529, "overloaded_error", 503, null],
  ])("maps upstream %i %s to %i with code %s", async (status, type, clientStatus, code) => {
    const result = toOpenAIError(status, anthropicBody(type, `message for ${type}`), {});
    expect(result.status).toBe(clientStatus);
    expect(result.body).toEqual({ error: { message: `message for ${type}`, type, param: null, code } });
    expect(Object.keys(result.body.error)).toEqual(["message", "type", "param", "code"]);
  });

  it.each(["enforced_spend_limit_reached", "contract_spend_limit_reached"])(
    "turns a %s 429 into insufficient_quota with x-should-retry: false",
    (errorCode) => {
      const body = anthropicBody("rate_limit_error", "Spend limit reached", { details: { error_code: errorCode } });
      const result = toOpenAIError(429, body, { "x-should-retry": "true", "retry-after": "30" });
      expect(result.status).toBe(429);
      expect(result.body.error).toEqual({ message: "Spend limit reached", type: "rate_limit_error", param: null, code: "insufficient_quota" });
      expect(result.headers["x-should-retry"]).toBe("false");
      expect(result.headers["retry-after"]).toBe("30");
    },
  );

  it("copies any other error.details.error_code into code", async () => {
    const body = anthropicBody("invalid_request_error", "Image too large", { details: { error_code: "image_dimensions_too_large" } });
    expect(toOpenAIError(400, body, {}).body.error.code).toBe("image_dimensions_too_large");
  });

  it.each([
    [502, "<html>Bad Gateway</html>", 502],
    [503, "", 503],
    [529, "overloaded", 503],
    [400, "not json", 502],
    [404, JSON.stringify({ message: "no error object" }), 502],
    [429, JSON.stringify({ error: { message: "type missing" } }), 502],
  ])("maps upstream %i with a non-Anthropic body to %i api_error", async (status, bodyText, clientStatus) => {
    const result = toOpenAIError(status, bodyText, {});
    expect(result.status).toBe(clientStatus);
    expect(result.body.error.type).toBe("api_error");
    expect(result.body.error.param).toBeNull();
    expect(result.body.error.code).toBeNull();
    expect(result.body.error.message).not.toContain("<html>");
  });

  it("passes retry hints through and moves request-id to x-upstream-request-id", async () => {
    const result = toOpenAIError(529, anthropicBody("overloaded_error", "Overloaded"), {
      "Retry-After": "5",
      "retry-after-ms": "5000",
      "X-Should-Retry": "true",
      "request-id": "req_header",
      "x-request-id": "not-ours",
      "content-type": "application/json",
      "set-cookie": ["a=1", "b=2"],
      "anthropic-ratelimit-requests-remaining": "0",
    });
    expect(result.headers).toEqual({
      "retry-after": "5",
      "retry-after-ms": "5000",
      "x-should-retry": "true",
      "x-upstream-request-id": "req_header",
    });
  });

  it("falls back to the body's request_id when the header is missing", async () => {
    expect(toOpenAIError(400, anthropicBody("invalid_request_error", "bad"), {}).headers).toEqual({ "x-upstream-request-id": "req_body" });
  });

  it("keeps the message verbatim, without wrapping", async () => {
    const message = "messages.0: tool_use ids were found without tool_result blocks immediately after: toolu_1";
    expect(toOpenAIError(400, anthropicBody("invalid_request_error", message), {}).body.error.message).toBe(message);
  });
});

describe("streamErrorFrame", () => {
  it("writes one OpenAI error data frame with the OpenAI code for the type", async () => {
    expect(streamErrorFrame("overloaded_error", "Overloaded")).toBe(
      'data: {"error":{"message":"Overloaded","type":"overloaded_error","param":null,"code":null}}\n\n',
    );
    expect(streamErrorFrame("rate_limit_error", "Slow down")).toContain('"code":"rate_limit_exceeded"');
    expect(streamErrorFrame("authentication_error", "Bad key")).toContain('"code":"invalid_api_key"');
    expect(streamErrorFrame("rate_limit_error", "Spend", { error_code: "enforced_spend_limit_reached" })).toContain('"code":"insufficient_quota"');
  });
});
