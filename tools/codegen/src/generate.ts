/**
 * The generator as a library: spec file -> formatted files, plus writing and comparing them.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import * as prettier from "prettier"
import { emit } from "./emit.js"
import { buildModel, type Model } from "./model.js"
import { compareStrings } from "./naming.js"
import { applyOverrides, overrides } from "./overrides.js"
import { loadSpec, repoRoot, type Spec } from "./spec.js"

/** Figures printed by the CLI. */
export interface Stats {
  readonly schemas: number
  readonly components: number
  readonly requestBodies: number
  readonly operations: number
  readonly overrides: number
}

/** Builds the model from an already loaded spec (the spec is cloned first). */
export const modelOf = (spec: Spec): Model => {
  const patched = applyOverrides(structuredClone(spec), overrides)
  return buildModel(patched)
}

/** Loads, patches, emits and formats; deterministic for a given spec and overrides. */
export const generateFiles = async (
  specPath: string
): Promise<{ readonly files: Map<string, string>; readonly stats: Stats; readonly model: Model }> => {
  const spec = loadSpec(specPath)
  const componentCount = Object.keys(spec.components.schemas).length
  const model = modelOf(spec)
  const raw = emit(model)
  const options = (await prettier.resolveConfig(path.join(repoRoot, "packages/schemas/src/index.ts"))) ?? {}
  const files = new Map<string, string>()
  for (const [file, source] of [...raw].sort((a, b) => compareStrings(a[0], b[0]))) {
    files.set(file, await prettier.format(source, { ...options, parser: "typescript" }))
  }
  return {
    files,
    model,
    stats: {
      schemas: model.units.size,
      components: componentCount,
      requestBodies: model.requestBodies.length,
      operations: model.operations.length,
      overrides: overrides.length
    }
  }
}

const listFiles = (dir: string, prefix = ""): Array<string> => {
  if (!fs.existsSync(dir)) return []
  const out: Array<string> = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel))
    else out.push(rel)
  }
  return out.sort(compareStrings)
}

/** Replaces the output directory's contents with `files` (stale files are removed). */
export const writeFiles = (dir: string, files: ReadonlyMap<string, string>): void => {
  for (const stale of listFiles(dir)) if (!files.has(stale)) fs.rmSync(path.join(dir, stale))
  for (const [file, content] of files) {
    const target = path.join(dir, file)
    fs.mkdirSync(path.dirname(target), { recursive: true })
    if (!fs.existsSync(target) || fs.readFileSync(target, "utf8") !== content) fs.writeFileSync(target, content)
  }
}

/** Human-readable differences between the directory and `files`; empty when they match. */
export const diffFiles = (dir: string, files: ReadonlyMap<string, string>): Array<string> => {
  const differences: Array<string> = []
  const present = new Set(listFiles(dir))
  for (const [file, content] of files) {
    if (!present.has(file)) {
      differences.push(`missing: ${file}`)
      continue
    }
    const actual = fs.readFileSync(path.join(dir, file), "utf8")
    if (actual !== content) {
      const a = actual.split("\n")
      const e = content.split("\n")
      let line = 0
      while (line < a.length && line < e.length && a[line] === e[line]) line++
      differences.push(
        `changed: ${file} (first difference at line ${line + 1}: expected ${JSON.stringify(e[line] ?? "<end of file>")}, ` +
          `found ${JSON.stringify(a[line] ?? "<end of file>")})`
      )
    }
  }
  for (const file of present) if (!files.has(file)) differences.push(`unexpected: ${file}`)
  return differences
}
