import { defineConfig } from "vitest/config"

// One root config; each workspace package is a project with its own vitest.config.ts, so
// `pnpm vitest` runs everything while `turbo run test` runs (and caches) package by package.
export default defineConfig({
  test: {
    projects: ["packages/*", "tools/*", "apps/*"]
  }
})
