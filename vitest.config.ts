import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["server/**/*.test.ts", "db/**/*.test.ts", "tests/**/*.test.ts", "app/**/*.test.ts"],
    exclude: ["node_modules", "dist", ".next", "e2e"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Inherited by the gateways tests start: the variables env Secrets in tests name, and every
    // 401 audited in full (tests of the summary of repeated 401s set their own bound).
    env: { GATEWAY_ENV_SECRETS_ALLOW: "GW_TEST_*", GATEWAY_AUDIT_UNAUTHENTICATED_PER_MINUTE: "100000" },
  },
});
