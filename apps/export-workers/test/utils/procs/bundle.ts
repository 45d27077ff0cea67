/**
 * The test's processes (the worker, src/main.ts, and the mock server) bundled into plain ESM once per test run, so
 * each starts with plain `node` instead of compiling its TypeScript through tsx on load (about 2.7 s of CPU and
 * 260 MB each, against 1 s and 150 MB bundled, which matters on a 2-core machine running every package's tests).
 */
import * as Bundle from "@intercom-effect/testing/Bundle"

/** The paths of the bundled entries, built on first use. */
export const bundles = Bundle.bundle("export-workers-tests", new URL("../../../", import.meta.url), {
  worker: "src/main.ts",
  mockServer: "test/utils/procs/mockServer.ts"
})
