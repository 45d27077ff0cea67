/**
 * The spec, for tests that read it at run time (it is never copied into the repo), here and in
 * @intercom-effect/schemas. A missing file is an error under `CI=true`; locally the suites that need it are skipped
 * with a visible warning, because a user's clone may not have ../shared beside it.
 */
import * as fs from "node:fs"
import { describe } from "@effect/vitest"
import { modelOf } from "./generate.js"
import { loadSpec, type Node, resolveSpecPath, type Spec } from "./spec.js"

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

let cached: Spec | undefined

/** The parsed spec, parsed once per test file. */
export const spec = (): Spec => {
  cached ??= loadSpec(specPath)
  return cached
}

/** A response schema as the generator saw it: its component, its export name and its (patched) spec node. */
export interface ResponseUnit {
  readonly component: string
  readonly exportName: string
  readonly schema: Node
}

let units: ReadonlyArray<ResponseUnit> | undefined

/**
 * Every generated response schema with the spec node it was generated from (overrides applied), for tests that
 * check a rule of the generator against what the file says.
 */
export const responseUnits = (): ReadonlyArray<ResponseUnit> => {
  units ??= [...modelOf(spec()).units.values()]
    .filter((unit) => unit.mode === "response" && unit.external === undefined)
    .map(({ component, exportName, schema }) => ({ component, exportName, schema }))
  return units
}
