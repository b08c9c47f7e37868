// The floor: a TCP relay that copies bytes between the client and the provider, one upstream
// connection per client connection, no HTTP parsing at all. What it adds is the cost of one
// more process hop on this machine; any HTTP proxy adds at least that.
import net from "node:net";

const [, , listenPort, upstream] = process.argv;
const { hostname, port } = new URL(upstream);

const server = net.createServer((client) => {
  const provider = net.connect(Number(port), hostname);
  client.setNoDelay(true);
  provider.setNoDelay(true);
  client.pipe(provider).on("error", () => client.destroy());
  provider.pipe(client).on("error", () => provider.destroy());
  client.on("close", () => provider.destroy());
  provider.on("close", () => client.destroy());
});
server.listen(Number(listenPort), "127.0.0.1", () => process.send?.({ port: server.address().port }));
