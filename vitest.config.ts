import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["server/**/*.test.ts", "db/**/*.test.ts", "tests/**/*.test.ts", "app/**/*.test.ts"],
    exclude: ["node_modules", "dist", ".next", "e2e"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
