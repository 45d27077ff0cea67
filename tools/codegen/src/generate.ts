/**
 * The generator as a library: spec file -> formatted files, plus writing and comparing them.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import * as prettier from "prettier"
import { emit, HEADER } from "./emit.js"
import { buildModel, type Model } from "./model.js"
import { compareStrings } from "./naming.js"
import { emitOperations } from "./operations.js"
import { applyOverrides, overrides } from "./overrides.js"
import { emitServices, referenceTable } from "./services/emit.js"
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

/** One generated output: a directory and its files (paths relative to it). */
export interface Output {
  readonly dir: string
  readonly files: Map<string, string>
  /**
   * Whether a file already in `dir` belongs to the generator (and so may be replaced or reported as stale). The
   * schemas' output directory is all generated; the services' `src` also holds hand-written modules.
   */
  readonly owns: (content: string) => boolean
}

/** Files the generator wrote, recognised by the header's first line. */
export const isGenerated = (content: string): boolean => content.startsWith(HEADER.split("\n").slice(0, 2).join("\n"))

/** A marked region of a hand-written file that the generator keeps current. */
export interface Fragment {
  readonly file: string
  readonly start: string
  readonly end: string
  readonly content: string
}

const format = async (source: string, parser: "typescript" | "markdown"): Promise<string> => {
  const options = (await prettier.resolveConfig(path.join(repoRoot, "packages/schemas/src/index.ts"))) ?? {}
  return prettier.format(source, { ...options, parser })
}

/** Loads, patches, emits and formats; deterministic for a given spec and overrides. */
export const generateFiles = async (
  specPath: string
): Promise<{
  readonly files: Map<string, string>
  readonly outputs: ReadonlyArray<Output>
  readonly fragments: ReadonlyArray<Fragment>
  readonly stats: Stats
  readonly model: Model
}> => {
  const spec = loadSpec(specPath)
  const componentCount = Object.keys(spec.components.schemas).length
  const model = modelOf(spec)
  const formatAll = async (raw: Map<string, string>): Promise<Map<string, string>> => {
    const out = new Map<string, string>()
    for (const [file, source] of [...raw].sort((a, b) => compareStrings(a[0], b[0]))) {
      out.set(file, await format(source, "typescript"))
    }
    return out
  }
  const files = await formatAll(new Map([...emit(model), ["operations.ts", emitOperations(model)]]))
  const services = await formatAll(emitServices(model))
  const reference = (await format(referenceTable(model), "markdown")).trimEnd()
  return {
    files,
    outputs: [
      { dir: path.join(repoRoot, "packages/schemas/src/generated"), files, owns: () => true },
      { dir: path.join(repoRoot, "packages/services/src"), files: services, owns: isGenerated }
    ],
    fragments: [
      {
        file: path.join(repoRoot, "packages/services/README.md"),
        start: "<!-- operations:start -->",
        end: "<!-- operations:end -->",
        content: reference
      }
    ],
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

/** The file with its marked region replaced by the fragment's content. */
export const withFragment = (fragment: Fragment, text: string): string => {
  const start = text.indexOf(fragment.start)
  const end = text.indexOf(fragment.end)
  if (start < 0 || end < start)
    throw new Error(`${fragment.file} lacks the markers ${fragment.start} ... ${fragment.end}`)
  return `${text.slice(0, start + fragment.start.length)}\n\n${fragment.content}\n\n${text.slice(end)}`
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

const read = (dir: string, file: string): string => fs.readFileSync(path.join(dir, file), "utf8")

/** Replaces the generated files of a directory with `files` (stale generated files are removed). */
export const writeFiles = (
  dir: string,
  files: ReadonlyMap<string, string>,
  owns: (content: string) => boolean = () => true
): void => {
  for (const stale of listFiles(dir)) if (!files.has(stale) && owns(read(dir, stale))) fs.rmSync(path.join(dir, stale))
  for (const [file, content] of files) {
    const target = path.join(dir, file)
    fs.mkdirSync(path.dirname(target), { recursive: true })
    if (!fs.existsSync(target) || fs.readFileSync(target, "utf8") !== content) fs.writeFileSync(target, content)
  }
}

/** Human-readable differences between the directory and `files`; empty when they match. */
export const diffFiles = (
  dir: string,
  files: ReadonlyMap<string, string>,
  owns: (content: string) => boolean = () => true
): Array<string> => {
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
  for (const file of present) if (!files.has(file) && owns(read(dir, file))) differences.push(`unexpected: ${file}`)
  return differences
}
