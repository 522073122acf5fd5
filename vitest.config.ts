import { configDefaults, defineConfig } from "vitest/config";

/** Every test file belongs to exactly one tier, by its name (ARCHITECTURE.md, "Tests"). */
const notTests = [...configDefaults.exclude, "web/**", "dist/**"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The plain "N passed, N failed" closing line is what CI reads; the default reporter is for people.
    // It runs once over all projects, so the line counts unit, store and end-to-end tests together.
    reporters: ["default", "./test/helpers/count-reporter.ts"],
    projects: [
      {
        // Pure code and harnesses: no store (`npm run test:unit`).
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: [...notTests, "test/e2e/**", "**/*.db.test.ts"],
        },
      },
      {
        // Store-backed: every case on SQLite and on PostgreSQL at 127.0.0.1:5432 via
        // test/helpers/engines.ts (`npm run test:db`).
        extends: true,
        test: {
          name: "db",
          include: ["**/*.db.test.ts"],
          exclude: notTests,
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
