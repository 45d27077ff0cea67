/**
 * Finds the spec for tests (never copied into the repo). Missing: an error under `CI=true`, otherwise the
 * suites that need it are skipped with a visible warning.
 */
import * as fs from "node:fs"
import { describe } from "@effect/vitest"
import { resolveSpecPath } from "../src/spec.js"

/** The resolved spec path (`INTERCOM_OPENAPI_SPEC` or the ../shared default). */
export const specPath: string = resolveSpecPath()

/** Whether the spec file is there. */
export const specAvailable: boolean = fs.existsSync(specPath)

if (!specAvailable) {
  const message = `Intercom OpenAPI spec not found at ${specPath} (set INTERCOM_OPENAPI_SPEC)`
  if (process.env["CI"] === "true") throw new Error(message)
  console.warn(`WARNING: ${message}; the tests that need it are SKIPPED.`)
}

/** `describe`, skipped when the spec is missing outside CI. */
export const describeWithSpec = (name: string, body: () => void): void => {
  if (specAvailable) describe(name, body)
  else describe.skip(name, body)
}
