import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, useFreshDatabase, currentStore } from "../../../tests/helpers/fresh-db";
import { resetConfigForTests } from "../../config";
import { createSecret } from "../create";
import { resolveSecretValue } from "../resolve";

// A fake OpenBao KV v2 server on 127.0.0.1: GET /v1/{mount}/data/{path} with X-Vault-Token.
const TOKEN = "bao-test-token";
let server: http.Server;
const requests: Array<{ url: string; token: string | undefined }> = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    requests.push({ url: request.url!, token: request.headers["x-vault-token"] as string | undefined });
    if (request.headers["x-vault-token"] !== TOKEN) return void response.writeHead(403).end('{"errors":["permission denied"]}');
    if (request.url === "/v1/secret/data/llm/anthropic") {
      response.writeHead(200, { "content-type": "application/json" });
      return void response.end(JSON.stringify({ data: { data: { api_key: "sk-ant-from-bao" }, metadata: { version: 3 } } }));
    }
    response.writeHead(404).end('{"errors":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterAll(() => server.close());

describe("openbao backend", () => {
  useFreshDatabase();

  function configure(token: string) {
    process.env.GATEWAY_OPENBAO_ADDR = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.GATEWAY_OPENBAO_TOKEN = token;
    resetConfigForTests();
  }

  it("reads a KV v2 value at resolve time with the token header", async () => {
    configure(TOKEN);
    await createSecret({
      ctx: ADMIN_CONTEXT,
      input: { name: "bao", allowedOrigins: ["https://api.example.com"], backend: "openbao", openbaoPath: "secret/llm/anthropic" },
    });
    await expect(resolveSecretValue(currentStore(), { secret: "bao", key: "api_key" }, "https://api.example.com")).resolves.toBe("sk-ant-from-bao");
    expect(requests.at(-1)).toEqual({ url: "/v1/secret/data/llm/anthropic", token: TOKEN });
  });

  it("reports a missing key, a missing path and a refused token without values", async () => {
    configure(TOKEN);
    await createSecret({
      ctx: ADMIN_CONTEXT,
      input: { name: "bao", allowedOrigins: ["https://api.example.com"], backend: "openbao", openbaoPath: "secret/llm/anthropic" },
    });
    await createSecret({
      ctx: ADMIN_CONTEXT,
      input: { name: "gone", allowedOrigins: ["https://api.example.com"], backend: "openbao", openbaoPath: "secret/llm/none" },
    });
    await expect(resolveSecretValue(currentStore(), { secret: "bao", key: "other" }, "https://api.example.com")).rejects.toThrow("has no key 'other'");
    await expect(resolveSecretValue(currentStore(), { secret: "gone", key: "api_key" }, "https://api.example.com")).rejects.toThrow("answered 404");
    configure("wrong-token");
    await createSecret({
      ctx: ADMIN_CONTEXT,
      input: { name: "denied", allowedOrigins: ["https://api.example.com"], backend: "openbao", openbaoPath: "secret/llm/anthropic" },
    });
    const failure = resolveSecretValue(currentStore(), { secret: "denied", key: "api_key" }, "https://api.example.com");
    await expect(failure).rejects.toThrow("answered 403");
    await expect(failure).rejects.not.toThrow("wrong-token");
  });
});
