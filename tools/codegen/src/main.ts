/**
 * `pnpm codegen`: regenerates packages/schemas/src/generated from the spec.
 * `pnpm --filter @intercom-effect/codegen run codegen:check`: fails when the committed output differs.
 *
 * Usage: tsx src/main.ts [--check] [--spec <file>] [--out <dir>]
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { diffFiles, generateFiles, writeFiles } from "./generate.js"
import { repoRoot, resolveSpecPath } from "./spec.js"

interface Args {
  readonly check: boolean
  readonly spec: string | undefined
  readonly out: string
}

const parseArgs = (argv: ReadonlyArray<string>): Args => {
  let check = false
  let spec: string | undefined
  let out = path.join(repoRoot, "packages/schemas/src/generated")
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === "--check") check = true
    else if (arg === "--spec") spec = argv[++i]
    else if (arg === "--out") out = path.resolve(argv[++i] ?? out)
    else if (!arg.startsWith("-")) spec = arg
    else throw new Error(`unknown argument ${arg}`)
  }
  return { check, spec, out }
}

const main = async (): Promise<number> => {
  const args = parseArgs(process.argv.slice(2))
  const specPath = resolveSpecPath(args.spec)
  if (!fs.existsSync(specPath)) {
    console.error(`spec not found: ${specPath} (pass a path or set INTERCOM_OPENAPI_SPEC)`)
    return 2
  }
  const { files, stats } = await generateFiles(specPath)
  const rel = path.relative(repoRoot, args.out)
  if (args.check) {
    const differences = diffFiles(args.out, files)
    if (differences.length > 0) {
      console.error(`codegen:check failed: ${rel} differs from a fresh run of the generator:`)
      for (const d of differences) console.error(`  ${d}`)
      console.error("Run `pnpm codegen` and commit the result (never edit generated files by hand).")
      return 1
    }
    console.log(`codegen:check ok: ${files.size} files in ${rel} match a fresh run`)
    return 0
  }
  writeFiles(args.out, files)
  console.log(
    `wrote ${files.size} files to ${rel}: ${stats.schemas} schemas (${stats.components} component schemas, ` +
      `${stats.requestBodies} request bodies), ${stats.operations} operations, ${stats.overrides} overrides`
  )
  return 0
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
