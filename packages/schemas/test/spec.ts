/**
 * Finds Intercom's 2.10 OpenAPI file for tests that read it at run time (it is never copied into the repo).
 * Missing file: under `CI=true` that is an error; locally the tests are skipped with a visible warning.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe } from "@effect/vitest"
import { parse } from "yaml"

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")

/** `INTERCOM_OPENAPI_SPEC`, else ../shared/intercom-openapi/2.10/api.intercom.io.yaml beside the repo. */
export const specPath: string = path.resolve(
  process.env["INTERCOM_OPENAPI_SPEC"] ?? path.join(repoRoot, "../shared/intercom-openapi/2.10/api.intercom.io.yaml")
)

/** Whether the spec file is there. */
export const specAvailable: boolean = fs.existsSync(specPath)

if (!specAvailable) {
  const message = `Intercom OpenAPI spec not found at ${specPath} (set INTERCOM_OPENAPI_SPEC)`
  if (process.env["CI"] === "true") throw new Error(message)
  // eslint-disable-next-line no-console -- a skipped suite must be visible
  console.warn(`WARNING: ${message}; the tests that need it are SKIPPED.`)
}

/** `describe`, skipped when the spec is missing outside CI. */
export const describeWithSpec = (name: string, body: () => void): void => {
  if (specAvailable) describe(name, body)
  else describe.skip(name, body)
}

/** A loosely typed OpenAPI node. */
export type SpecNode = { readonly [key: string]: unknown }

let cached: SpecNode | undefined

/** The parsed spec (parsed once per test file). */
export const loadSpec = (): SpecNode => {
  cached ??= parse(fs.readFileSync(specPath, "utf8"), { maxAliasCount: -1 }) as SpecNode
  return cached
}
