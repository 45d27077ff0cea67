import { defineConfig } from "vitest/config"
import { QuietReporter } from "./vitest.reporter.js"

// One root config; each workspace package is a project with its own vitest.config.ts, so
// `pnpm vitest` runs everything while `turbo run test` runs (and caches) package by package.
export default defineConfig({
  test: {
    projects: ["packages/*", "tools/*", "apps/*"],
    // As in vitest.shared.ts: a run of all projects takes its reporter and silence from here.
    silent: "passed-only",
    reporters: [new QuietReporter()]
  }
})
