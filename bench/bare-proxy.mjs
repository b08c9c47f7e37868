// The reference: node:http + an undici pool, adds the Authorization header, nothing else.
import http from "node:http";
import { Agent, request } from "undici";

const [, , listenPort, upstream, key] = process.argv;
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 256 });

const server = http.createServer(async (incoming, response) => {
  const controller = new AbortController();
  response.on("close", () => {
    if (!response.writableFinished) controller.abort();
  });
  try {
    const path = incoming.url.replace(/^\/bare/, "");
    const upstreamResponse = await request(upstream + path, {
      method: incoming.method,
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: incoming,
      dispatcher: agent,
      signal: controller.signal,
    });
    response.writeHead(upstreamResponse.statusCode, { "content-type": upstreamResponse.headers["content-type"] });
    for await (const chunk of upstreamResponse.body) response.write(chunk);
    response.end();
  } catch {
    if (!response.headersSent) response.writeHead(502);
    response.end();
  }
});
server.keepAliveTimeout = 60_000;
server.listen(Number(listenPort), "127.0.0.1", () => process.send?.({ port: server.address().port }));
