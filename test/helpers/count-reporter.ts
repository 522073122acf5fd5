import type { Reporter, TestModule, TestRunEndReason } from "vitest/node";

/**
 * Prints the plain closing line CI reads: `N passed, N failed, N skipped`.
 * Vitest's own summary is not recognised by CI, so this runs after it.
 * A file that fails to load (syntax error) or a suite whose hook failed counts as a failure, so
 * tests skipped because of it cannot hide a broken run; so does a run that failed before any test
 * ran (a global setup that threw), which would otherwise print "0 passed, 0 failed".
 */
export default class CountReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>,
    reason: TestRunEndReason,
  ): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      let moduleFailures = 0;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") moduleFailures++;
        else skipped++;
      }
      // A failed hook leaves its tests skipped, not failed: count each suite that reports errors.
      for (const suite of mod.children.allSuites()) if (suite.errors().length > 0) moduleFailures++;
      // A file that failed without a failed test or suite (load error, module-level error) still fails.
      if (mod.state() === "failed" && moduleFailures === 0) moduleFailures++;
      failed += moduleFailures;
    }
    failed += unhandledErrors.length;
    if (reason !== "passed" && failed === 0) failed = 1;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
