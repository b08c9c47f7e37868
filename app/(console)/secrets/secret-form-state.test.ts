import { describe, expect, it } from "vitest";
import type { SecretView } from "../../../server/secrets/schemas";
import { initialSecretForm, newRow, rowErrorFromServer, rowsForSecret, toCreateSecretInput, toUpdateSecretInput } from "./secret-form-state";

const secret = (overrides: Partial<SecretView>): SecretView => ({
  name: "openai",
  backend: "local",
  description: null,
  keys: ["api_key"],
  envVars: {},
  openbaoPath: null,
  allowedOrigins: [],
  usedBy: [],
  createdAt: 1,
  updatedAt: 1,
  ...overrides,
});

describe("toCreateSecretInput", () => {
  it("builds a local secret from key/value rows, skipping blank rows", async () => {
    const state = { ...initialSecretForm(), name: "openai", rows: [newRow("api_key", "sk-1"), newRow("", "")] };
    expect(toCreateSecretInput(state).input).toEqual({ name: "openai", backend: "local", description: null, values: { api_key: "sk-1" } });
  });

  it("builds env and openbao secrets", async () => {
    const env = { ...initialSecretForm(), name: "e", backend: "env" as const, rows: [newRow("api_key", " OPENAI_API_KEY ")] };
    expect(toCreateSecretInput(env).input).toMatchObject({ backend: "env", envVars: { api_key: "OPENAI_API_KEY" } });
    const bao = { ...initialSecretForm(), name: "b", backend: "openbao" as const, openbaoPath: "secret/llm/openai" };
    expect(toCreateSecretInput(bao).input).toMatchObject({ backend: "openbao", openbaoPath: "secret/llm/openai" });
  });

  it("reports bad keys, duplicates, missing values and bad paths per field", async () => {
    const rows = [newRow("api key", "x"), newRow("k", "v"), newRow("k", ""), newRow("env", "1BAD")];
    const result = toCreateSecretInput({ ...initialSecretForm(), name: "", rows });
    expect(result.errors?.fields).toEqual({ name: "a name is required" });
    expect(Object.values(result.errors!.rows)).toEqual([
      { key: "1-128 characters of A-Z, a-z, 0-9, _ . -" },
      { key: "this key is listed twice", value: "enter the value" },
    ]);
    const envResult = toCreateSecretInput({ ...initialSecretForm(), name: "e", backend: "env", rows: [newRow("k", "1BAD")] });
    expect(Object.values(envResult.errors!.rows)).toEqual([{ value: "not a valid environment variable name" }]);
    expect(toCreateSecretInput({ ...initialSecretForm(), name: "b", backend: "openbao", openbaoPath: "nopath" }).errors?.fields).toHaveProperty("openbaoPath");
  });
});

describe("toUpdateSecretInput", () => {
  it("sends only rotated values and removals; empty values keep the stored ones", async () => {
    const current = secret({ keys: ["api_key", "old"] });
    const rows = rowsForSecret(current);
    rows[0]!.value = "sk-new";
    rows[1]!.remove = true;
    rows.push(newRow("extra", "v2"));
    expect(toUpdateSecretInput(current, rows, "", "").input).toEqual({ name: "openai", values: { api_key: "sk-new", extra: "v2" }, removeKeys: ["old"] });
    expect(toUpdateSecretInput(current, rowsForSecret(current), "", "")).toMatchObject({ nothing: true });
  });

  it("shows env variable names and sends only re-pointed ones", async () => {
    const current = secret({ backend: "env", envVars: { api_key: "A", other: "B" }, keys: ["api_key", "other"] });
    const rows = rowsForSecret(current);
    expect(rows.map((row) => row.value)).toEqual(["A", "B"]);
    rows[1]!.value = "C";
    expect(toUpdateSecretInput(current, rows, "", "").input).toEqual({ name: "openai", envVars: { other: "C" } });
  });

  it("changes an openbao path", async () => {
    const current = secret({ backend: "openbao", keys: [], openbaoPath: "secret/a" });
    expect(toUpdateSecretInput(current, [], "secret/b", "").input).toEqual({ name: "openai", openbaoPath: "secret/b" });
    expect(toUpdateSecretInput(current, [], "secret/a", "")).toMatchObject({ nothing: true });
  });

  it("sends the allowed origins only when they changed, one per line or comma-separated", async () => {
    const current = secret({ allowedOrigins: ["https://api.openai.com"] });
    expect(toUpdateSecretInput(current, rowsForSecret(current), "", "https://api.openai.com\n")).toMatchObject({ nothing: true });
    expect(toUpdateSecretInput(current, rowsForSecret(current), "", "https://api.openai.com, https://eu.example.com").input).toEqual({
      name: "openai",
      allowedOrigins: ["https://api.openai.com", "https://eu.example.com"],
    });
    expect(toUpdateSecretInput(current, rowsForSecret(current), "", "  ").input).toEqual({ name: "openai", allowedOrigins: [] });
  });
});

describe("rowErrorFromServer", () => {
  it("finds the row a server field names", async () => {
    const rows = [newRow("api_key", "")];
    expect(rowErrorFromServer("values.api_key", "values.api_key: must not be empty", rows)).toEqual({ [rows[0]!.id]: { value: "must not be empty" } });
    expect(rowErrorFromServer("name", "x", rows)).toBeNull();
  });
});
