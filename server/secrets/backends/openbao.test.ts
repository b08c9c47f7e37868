import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, useFreshDatabase } from "../../../tests/helpers/fresh-db";
import type { Store } from "../../../db/store";
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
  const { reopen } = useFreshDatabase();

  /** A gateway that reads OpenBao at the fake server with `token`. */
  const configure = (token: string): Promise<Store> =>
    reopen({ GATEWAY_OPENBAO_ADDR: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, GATEWAY_OPENBAO_TOKEN: token });

  it("reads a KV v2 value at resolve time with the token header", async () => {
    const store = await configure(TOKEN);
    await createSecret({
      ctx: { ...ADMIN_CONTEXT, store },
      input: { name: "bao", allowedOrigins: ["https://api.example.com"], backend: "openbao", openbaoPath: "secret/llm/anthropic" },
    });
    await expect(resolveSecretValue(store, { secret: "bao", key: "api_key" }, "https://api.example.com")).resolves.toBe("sk-ant-from-bao");
    expect(requests.at(-1)).toEqual({ url: "/v1/secret/data/llm/anthropic", token: TOKEN });
  });

  it("reports a missing key, a missing path and a refused token without values", async () => {
    const store = await configure(TOKEN);
    await createSecret({
      ctx: { ...ADMIN_CONTEXT, store },
      input: { name: "bao", allowedOrigins: ["https://api.example.com"], backend: "openbao", openbaoPath: "secret/llm/anthropic" },
    });
    await createSecret({
      ctx: { ...ADMIN_CONTEXT, store },
      input: { name: "gone", allowedOrigins: ["https://api.example.com"], backend: "openbao", openbaoPath: "secret/llm/none" },
    });
    await expect(resolveSecretValue(store, { secret: "bao", key: "other" }, "https://api.example.com")).rejects.toThrow("has no key 'other'");
    await expect(resolveSecretValue(store, { secret: "gone", key: "api_key" }, "https://api.example.com")).rejects.toThrow("answered 404");
    const refused = await configure("wrong-token");
    await createSecret({
      ctx: { ...ADMIN_CONTEXT, store: refused },
      input: { name: "denied", allowedOrigins: ["https://api.example.com"], backend: "openbao", openbaoPath: "secret/llm/anthropic" },
    });
    const failure = resolveSecretValue(refused, { secret: "denied", key: "api_key" }, "https://api.example.com");
    await expect(failure).rejects.toThrow("answered 403");
    await expect(failure).rejects.not.toThrow("wrong-token");
  });
});
