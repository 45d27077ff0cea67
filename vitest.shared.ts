import type { ViteUserConfig } from "vitest/config"

/** Settings every package's vitest project shares. */
export const shared: ViteUserConfig = {
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests open sockets on 127.0.0.1; keep the default pool but fail loudly on hangs.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    sequence: { concurrent: false }
  }
}
