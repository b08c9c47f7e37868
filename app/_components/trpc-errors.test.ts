import { describe, expect, it } from "vitest";
import { formErrors, stripFieldPrefix, toServerError } from "./trpc-errors";

const trpcError = (message: string, field: string | null, code = "BAD_REQUEST") => ({ message, data: { code, field, httpStatus: 400 } });

describe("formErrors", () => {
  it("puts a field error on the matching input without the field prefix", async () => {
    expect(formErrors(trpcError("url: a vllm llm needs a url", "url"), ["name", "url"])).toEqual({ fields: { url: "a vllm llm needs a url" }, general: null });
  });

  it("matches nested server fields to their form field", async () => {
    const error = trpcError("apiKeyRef: secret 'x' has no key 'y'", "apiKeyRef.key");
    expect(formErrors(error, ["apiKeyRef.secret", "apiKeyRef.key"]).fields).toEqual({ "apiKeyRef.key": "secret 'x' has no key 'y'" });
    expect(formErrors(trpcError("values.api_key: must not be empty", "values.api_key"), ["values"]).fields).toEqual({ values: "must not be empty" });
  });

  it("keeps errors without a known field general", async () => {
    expect(formErrors(trpcError("secret 'a' is used by llm 'b'; change those first", null, "CONFLICT"), ["name"])).toEqual({
      fields: {},
      general: "secret 'a' is used by llm 'b'; change those first",
    });
    expect(formErrors(trpcError("x: bad", "x"), ["name"]).general).toBe("x: bad");
    expect(formErrors(null, ["name"])).toEqual({ fields: {}, general: null });
  });
});

describe("toServerError", () => {
  it("tolerates anything", async () => {
    expect(toServerError(undefined)).toEqual({ message: "Something went wrong", field: null, code: null });
    expect(toServerError(new Error("boom"))).toEqual({ message: "boom", field: null, code: null });
  });

  it("strips only a matching prefix", async () => {
    expect(stripFieldPrefix("name: must be 1-63 characters", "name")).toBe("must be 1-63 characters");
    expect(stripFieldPrefix("current password is wrong", "currentPassword")).toBe("current password is wrong");
  });
});

describe("formErrors with a mapping", () => {
  it("maps server fields onto differently named form fields", async () => {
    const mapping = { url: "url", "apiKeyRef.secret": "secret", "apiKeyRef.key": "key", defaults: "maxTokens" };
    expect(formErrors(trpcError("apiKeyRef: secret 'x' has no key 'y'", "apiKeyRef.key"), mapping).fields).toEqual({ key: "secret 'x' has no key 'y'" });
    expect(formErrors(trpcError("defaults.max_tokens: too big", "defaults.max_tokens"), mapping).fields).toEqual({ maxTokens: "too big" });
  });
});
