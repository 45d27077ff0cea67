/**
 * `pnpm codegen`: regenerates packages/schemas/src/generated and the service modules of packages/services/src
 * from the spec (and the README's operation reference).
 * `pnpm --filter @intercom-effect/codegen run codegen:check`: fails when the committed output differs.
 *
 * Usage: tsx src/main.ts [--check] [--spec <file>]
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { diffFiles, generateFiles, withFragment, writeFiles } from "./generate.js"
import { repoRoot, resolveSpecPath } from "./spec.js"

interface Args {
  readonly check: boolean
  readonly spec: string | undefined
}

const parseArgs = (argv: ReadonlyArray<string>): Args => {
  let check = false
  let spec: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === "--check") check = true
    else if (arg === "--spec") spec = argv[++i]
    else if (!arg.startsWith("-")) spec = arg
    else throw new Error(`unknown argument ${arg}`)
  }
  return { check, spec }
}

const main = async (): Promise<number> => {
  const args = parseArgs(process.argv.slice(2))
  const specPath = resolveSpecPath(args.spec)
  if (!fs.existsSync(specPath)) {
    console.error(`spec not found: ${specPath} (pass a path or set INTERCOM_OPENAPI_SPEC)`)
    return 2
  }
  const { outputs, fragments, stats } = await generateFiles(specPath)
  if (args.check) {
    const differences = [
      ...outputs.flatMap((o) =>
        diffFiles(o.dir, o.files, o.owns).map((d) => `${path.relative(repoRoot, o.dir)}: ${d}`)
      ),
      ...fragments.flatMap((f) => {
        const text = fs.readFileSync(f.file, "utf8")
        return withFragment(f, text) === text ? [] : [`${path.relative(repoRoot, f.file)}: ${f.start} section is stale`]
      })
    ]
    if (differences.length > 0) {
      console.error("codegen:check failed: the committed output differs from a fresh run of the generator:")
      for (const d of differences) console.error(`  ${d}`)
      console.error("Run `pnpm codegen` and commit the result (never edit generated files by hand).")
      return 1
    }
    const count = outputs.reduce((n, o) => n + o.files.size, 0)
    console.log(
      `codegen:check ok: ${count} generated files and ${fragments.length} README section(s) match a fresh run`
    )
    return 0
  }
  for (const o of outputs) writeFiles(o.dir, o.files, o.owns)
  for (const f of fragments) fs.writeFileSync(f.file, withFragment(f, fs.readFileSync(f.file, "utf8")))
  console.log(
    `wrote ${outputs.map((o) => `${o.files.size} files to ${path.relative(repoRoot, o.dir)}`).join(" and ")}: ` +
      `${stats.schemas} schemas (${stats.components} component schemas, ${stats.requestBodies} request bodies), ` +
      `${stats.operations} operations, ${stats.overrides} overrides`
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
