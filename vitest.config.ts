import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The plain "N passed, N failed" closing line is what CI reads; the default reporter is for people.
    // It runs once over both projects, so the line counts unit and end-to-end tests together.
    reporters: ["default", "./test/helpers/count-reporter.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["node_modules", "web/**", "test/e2e/**"],
        },
      },
      {
        // A real Kith server process and Debian's Chromium (test/e2e/README in ARCHITECTURE.md).
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.e2e.test.ts"],
          globalSetup: ["test/e2e/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
