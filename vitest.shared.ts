import type { ViteUserConfig } from "vitest/config"
import { QuietReporter } from "./vitest.reporter.js"

/** Settings every package's vitest project shares. */
export const shared: ViteUserConfig = {
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests open sockets on 127.0.0.1; keep the default pool but fail loudly on hangs.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    sequence: { concurrent: false },
    // Quiet by default: a passing test's logs are dropped, a failing test's are shown, figures always (see
    // vitest.reporter.ts). `vitest --silent=false` shows everything.
    silent: "passed-only",
    reporters: [new QuietReporter()]
  }
}
