import path from "node:path";
import { z } from "zod";

export const POSTGRES_URL_RULE = "must be a postgres:// URL with a host, e.g. postgres://gateway:PASSWORD@db.internal:5432/gateway";

/** A PostgreSQL URL that names a server (a host, or a socket directory in `?host=`). */
export function isPostgresUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return /^postgres(ql)?:$/.test(url.protocol) && (url.hostname !== "" || url.searchParams.has("host"));
}

// The one place that reads process.env.
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOSTNAME: z.string().min(1).default("0.0.0.0"),
  GATEWAY_DATA_DIR: z.string().min(1).default("./data"),
  GATEWAY_DATABASE_URL: z.string().refine(isPostgresUrl, { message: POSTGRES_URL_RULE }).optional(),
  GATEWAY_MASTER_KEY: z.string().optional(),
  GATEWAY_ADMIN_PASSWORD: z.string().min(1).optional(),
  GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().positive().default(20_971_520),
  GATEWAY_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(600_000),
  GATEWAY_AUDIT_RETENTION_DAYS: z.coerce.number().int().positive().default(90),
  GATEWAY_SECURE_COOKIES: z.enum(["true", "false", "auto"]).default("auto"),
  GATEWAY_OPENBAO_ADDR: z.string().url().optional(),
  GATEWAY_OPENBAO_TOKEN: z.string().optional(),
  GATEWAY_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  GATEWAY_LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(10),
  GATEWAY_APP_ROOT: z.string().optional(),
  GATEWAY_TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  GATEWAY_GEMINI_PATHS: z.string().optional(),
  GATEWAY_CONSOLE_RELAYED: z.enum(["1"]).optional(),
  GATEWAY_ALLOW_LINK_LOCAL_URLS: z.enum(["true", "false"]).default("false"),
  GATEWAY_ENV_SECRETS_ALLOW: z.string().optional(),
  GATEWAY_OPENBAO_PREFIX: z.string().optional(),
  GATEWAY_AUDIT_UNAUTHENTICATED_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  GATEWAY_USER_MAX_CONCURRENCY: z.coerce.number().int().min(1).default(64),
  GATEWAY_LIMIT_SYNC_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  GATEWAY_LIMIT_LEASE_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
});

export interface Config {
  port: number;
  hostname: string;
  dataDir: string;
  databasePath: string;
  /** PostgreSQL instead of the SQLite file at `databasePath`. */
  databaseUrl: string | null;
  masterKeyEnv: string | null;
  adminPassword: string | null;
  maxBodyBytes: number;
  upstreamTimeoutMs: number;
  auditRetentionDays: number;
  secureCookies: "true" | "false" | "auto";
  openbaoAddr: string | null;
  openbaoToken: string | null;
  shutdownGraceMs: number;
  loginMaxFailures: number;
  /** Where `db/migrations` lives (the package root). */
  appRoot: string;
  /** Believe X-Forwarded-For (only behind a reverse proxy that sets it). */
  trustProxy: boolean;
  /** Executables an Llm may name as `geminiPath` (whoever edits Llms must not pick what runs here). */
  geminiPaths: string[];
  /** Set by the gateway server for its console process: requests arrive through its relay, edge policy applied. */
  consoleRelayed: boolean;
  /** Llm URLs may name link-local and cloud metadata addresses (off: a key could be sent to the host's metadata service). */
  allowLinkLocalUrls: boolean;
  /** Environment variables an `env` Secret may name: exact names and `PREFIX_*` patterns (never `GATEWAY_*`). */
  envSecretsAllow: string[];
  /** When set, `openbao` Secrets may only name paths under this `MOUNT/PATH` prefix. */
  openbaoPrefix: string | null;
  /** Unauthenticated calls audited in full per client address a minute; more are counted into one summary row. */
  auditUnauthenticatedPerMinute: number;
  /** Inference calls one user may have in flight at once (more get 429). */
  userMaxConcurrency: number;
  /** How often a replica publishes its limit usage and takes or gives back room. */
  limitSyncMs: number;
  /** How long a replica's room counts after its last heartbeat (a dead replica's is free again after it). */
  limitLeaseMs: number;
}

let cached: Config | null = null;

/**
 * This process's configuration, read from its environment once. Process edges (the servers, the
 * CLI's entry, the proxy) read it here; anything given a store reads `store.config`, the
 * configuration that store was opened with.
 */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** A configuration from environment variables; throws one line naming the first bad variable. */
export function parseConfig(variables: Record<string, string | undefined>): Config {
  // An empty variable means "not set", as it does for most deployment tools.
  const present = Object.fromEntries(Object.entries(variables).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid configuration: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const env = parsed.data;
  // Runtime paths, not build inputs: keep the bundler from tracing them.
  const dataDir = path.resolve(/*turbopackIgnore: true*/ env.GATEWAY_DATA_DIR);
  return {
    port: env.PORT,
    hostname: env.HOSTNAME,
    dataDir,
    databasePath: path.join(/*turbopackIgnore: true*/ dataDir, "gateway.db"),
    databaseUrl: env.GATEWAY_DATABASE_URL ?? null,
    masterKeyEnv: env.GATEWAY_MASTER_KEY ?? null,
    adminPassword: env.GATEWAY_ADMIN_PASSWORD ?? null,
    maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES,
    upstreamTimeoutMs: env.GATEWAY_UPSTREAM_TIMEOUT_MS,
    auditRetentionDays: env.GATEWAY_AUDIT_RETENTION_DAYS,
    secureCookies: env.GATEWAY_SECURE_COOKIES,
    openbaoAddr: env.GATEWAY_OPENBAO_ADDR ?? null,
    openbaoToken: env.GATEWAY_OPENBAO_TOKEN ?? null,
    shutdownGraceMs: env.GATEWAY_SHUTDOWN_GRACE_MS,
    loginMaxFailures: env.GATEWAY_LOGIN_MAX_FAILURES,
    appRoot: path.resolve(/*turbopackIgnore: true*/ env.GATEWAY_APP_ROOT ?? process.cwd()),
    trustProxy: env.GATEWAY_TRUST_PROXY === "true",
    geminiPaths: (env.GATEWAY_GEMINI_PATHS ?? "").split(path.delimiter).filter(Boolean),
    consoleRelayed: env.GATEWAY_CONSOLE_RELAYED === "1",
    allowLinkLocalUrls: env.GATEWAY_ALLOW_LINK_LOCAL_URLS === "true",
    envSecretsAllow: (env.GATEWAY_ENV_SECRETS_ALLOW ?? "").split(/[\s,]+/).filter(Boolean),
    auditUnauthenticatedPerMinute: env.GATEWAY_AUDIT_UNAUTHENTICATED_PER_MINUTE,
    userMaxConcurrency: env.GATEWAY_USER_MAX_CONCURRENCY,
    limitSyncMs: env.GATEWAY_LIMIT_SYNC_MS,
    limitLeaseMs: Math.max(env.GATEWAY_LIMIT_LEASE_MS, 4 * env.GATEWAY_LIMIT_SYNC_MS),
    openbaoPrefix: env.GATEWAY_OPENBAO_PREFIX?.replace(/^\/+|\/+$/g, "") || null,
  };
}
