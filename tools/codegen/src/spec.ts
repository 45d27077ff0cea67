/**
 * Loading Intercom's OpenAPI description and the few JSON-pointer helpers the overrides need.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { parse } from "yaml"

/** A loosely typed OpenAPI node: the file is data, validated by what the generator reads from it. */
export type Node = { [key: string]: unknown }

/** The parts of an OpenAPI 3.0 document the generator reads. */
export interface Spec {
  readonly openapi: string
  readonly paths: Record<string, Record<string, Node>>
  readonly components: { readonly schemas: Record<string, Node> }
  readonly tags?: ReadonlyArray<{ readonly name: string }>
}

/** The repository root (tools/codegen/src -> ../../..). */
export const repoRoot: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")

/** Where the spec lives unless an argument or `INTERCOM_OPENAPI_SPEC` says otherwise. */
export const defaultSpecPath: string = path.resolve(repoRoot, "../shared/intercom-openapi/2.10/api.intercom.io.yaml")

/** Resolves the spec path: explicit argument, then `INTERCOM_OPENAPI_SPEC`, then the ../shared default. */
export const resolveSpecPath = (explicit?: string): string =>
  path.resolve(explicit ?? process.env["INTERCOM_OPENAPI_SPEC"] ?? defaultSpecPath)

/** Reads and parses the YAML file. */
export const loadSpec = (file: string): Spec => {
  // `maxAliasCount: -1`: the file uses no anchors today, but a limit would turn a future one into a crash.
  const doc = parse(fs.readFileSync(file, "utf8"), { maxAliasCount: -1 }) as Spec
  if (typeof doc !== "object" || doc === null || !doc.paths || !doc.components?.schemas) {
    throw new Error(`${file} does not look like an OpenAPI document`)
  }
  return doc
}

const decodeSegment = (segment: string): string => segment.replace(/~1/g, "/").replace(/~0/g, "~")

/** Splits `#/a/b~1c` into `["a", "b/c"]`. */
export const pointerSegments = (pointer: string): Array<string> => {
  if (!pointer.startsWith("#/")) throw new Error(`not a local JSON pointer: ${pointer}`)
  return pointer.slice(2).split("/").map(decodeSegment)
}

/** Reads the node at a JSON pointer, or undefined. */
export const getAt = (root: unknown, pointer: string): unknown => {
  let node: unknown = root
  for (const segment of pointerSegments(pointer)) {
    if (typeof node !== "object" || node === null) return undefined
    node = (node as Node)[segment]
  }
  return node
}

/** The parent object and the last key of a JSON pointer; throws when the parent does not exist. */
export const parentAt = (root: unknown, pointer: string): { readonly parent: Node; readonly key: string } => {
  const segments = pointerSegments(pointer)
  const key = segments.pop()
  if (key === undefined) throw new Error(`empty pointer: ${pointer}`)
  let node: unknown = root
  for (const segment of segments) {
    if (typeof node !== "object" || node === null) throw new Error(`no parent for ${pointer}`)
    node = (node as Node)[segment]
  }
  if (typeof node !== "object" || node === null) throw new Error(`no parent for ${pointer}`)
  return { parent: node as Node, key }
}
