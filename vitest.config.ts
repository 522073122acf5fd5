import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["node_modules", "web/**", "test/e2e/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The plain "N passed, N failed" closing line is what CI reads; the default reporter is for people.
    reporters: ["default", "./test/helpers/count-reporter.ts"],
  },
});
