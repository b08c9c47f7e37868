// A throwaway PostgreSQL server for benchmarks and trying replicas by hand:
// `node scripts/postgres-scratch.mjs` prints a URL to an empty database and keeps the server
// until Ctrl-C (then removes it). Needs Debian's postgresql package (initdb, pg_ctl).
import pg from "pg";
import { importServer } from "./bundle-server.mjs";

const { startPostgresCluster } = await importServer(`export { startPostgresCluster } from "./tests/helpers/postgres-cluster";`);
const cluster = await startPostgresCluster();
const client = new pg.Client({ connectionString: cluster.url });
await client.connect();
await client.query("CREATE DATABASE gateway");
await client.end();
const url = new URL(cluster.url);
url.pathname = "/gateway";
console.log(url.toString());
const stop = () => {
  cluster.remove();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
setInterval(() => undefined, 1 << 30);
