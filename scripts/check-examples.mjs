#!/usr/bin/env node
// Typechecks every code example the published packages show: the ```ts blocks of JSDoc `@example`s in src/ and the
// whole-module ```ts blocks of each package's README. Each block becomes a module in <package>/.examples/ (git-ignored) and is compiled with the
// package's own tsconfig, so it sees exactly the dependencies a user of the package would. An example that no longer
// compiles fails the check, the way @effect/docgen fails Effect's own.
//
// Usage: node scripts/check-examples.mjs
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const tsc = join(root, "node_modules/typescript/bin/tsc")

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })

/** ```ts blocks inside `@example` tags of a source file, with the JSDoc gutter removed. */
const jsdocExamples = (text) => {
  const out = []
  for (const comment of text.match(/\/\*\*[\s\S]*?\*\//g) ?? []) {
    const body = comment
      .split("\n")
      .map((line) => line.replace(/^\s*\/?\*+\/?\s?/, ""))
      .join("\n")
    const at = body.indexOf("@example")
    if (at < 0) continue
    for (const [, code] of body.slice(at).matchAll(/```ts\n([\s\S]*?)```/g)) out.push(code)
  }
  return out
}

/**
 * ```ts blocks of a markdown file that are whole modules (they import what they use); a block without imports is a
 * fragment of the prose around it, shown for its shape.
 */
const markdownExamples = (text) =>
  [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map(([, code]) => code).filter((code) => /^import /m.test(code))

const readmeExamples = (readme) =>
  existsSync(readme)
    ? markdownExamples(readFileSync(readme, "utf8")).map((code, i) => ({
        from: `${relative(root, readme)} #${i + 1}`,
        code
      }))
    : []

/** Each package with its examples; the repository README's are compiled as an app would, in apps/demo. */
const targets = [
  ...readdirSync(join(root, "packages")).map((pkg) => {
    const dir = join(root, "packages", pkg)
    const sources = existsSync(join(dir, "src")) ? walk(join(dir, "src")).filter((f) => f.endsWith(".ts")) : []
    const fromSources = sources.flatMap((file) =>
      jsdocExamples(readFileSync(file, "utf8")).map((code, i) => ({ from: `${relative(root, file)} #${i + 1}`, code }))
    )
    return { dir, examples: [...fromSources, ...readmeExamples(join(dir, "README.md"))] }
  }),
  { dir: join(root, "apps/demo"), examples: readmeExamples(join(root, "README.md")) }
]

let failed = 0
let checked = 0
for (const { dir, examples } of targets) {
  if (!existsSync(join(dir, "tsconfig.json")) || examples.length === 0) continue
  const out = join(dir, ".examples")
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out)
  examples.forEach(({ from, code }, i) => writeFileSync(join(out, `example-${i + 1}.ts`), `// ${from}\n${code}`))
  // Examples show a call, not a program: a value left unused is fine there.
  writeFileSync(
    join(out, "tsconfig.json"),
    JSON.stringify({
      extends: "../tsconfig.json",
      compilerOptions: { noEmit: true, noUnusedLocals: false, noUnusedParameters: false },
      include: ["./*.ts"]
    })
  )
  try {
    execFileSync(process.execPath, [tsc, "-p", join(out, "tsconfig.json")], { cwd: dir, stdio: "pipe" })
    checked += examples.length
    rmSync(out, { recursive: true, force: true })
  } catch (error) {
    failed++
    console.error(`examples of ${relative(root, dir)} do not typecheck (kept in ${relative(root, out)}):`)
    console.error(String(error.stdout ?? error))
    for (const { from } of examples) console.error(`  ${from}`)
  }
}
// The README's `npm i` line pins the Effect 3 packages a user installs; it must pin the versions of the catalog the
// repository is tested with (npm's `latest` is Effect 4, so a stale or missing pin installs something else).
const catalog = new Map(
  [
    ...readFileSync(join(root, "pnpm-workspace.yaml"), "utf8")
      .split(/\n(?=\S)/)
      .find((block) => block.startsWith("catalog:"))
      .matchAll(/^\s+"?([^":\s]+)"?:\s*(\S+)\s*$/gm)
  ].map(([, name, version]) => [name, version])
)
const install = readFileSync(join(root, "README.md"), "utf8")
  .split("\n")
  .find((line) => line.startsWith("npm i ") && line.includes(" effect@"))
const pins = (install ?? "").split(/\s+/).flatMap((word) => {
  const at = word.lastIndexOf("@")
  return at > 0 ? [[word.slice(0, at), word.slice(at + 1)]] : []
})
const wrongPins = pins.filter(([name, version]) => catalog.get(name) !== version)
if (install === undefined || wrongPins.length > 0) {
  failed++
  console.error(
    install === undefined
      ? "README.md has no `npm i ... effect@<version>` line"
      : `README.md's npm line differs from the catalog: ${wrongPins.map(([n, v]) => `${n}@${v} (catalog: ${catalog.get(n) ?? "none"})`).join(", ")}`
  )
} else {
  console.log(`install line: ${pins.length} pins match the catalog`)
}
console.log(`examples: ${checked} typechecked${failed > 0 ? `, ${failed} package(s) failing` : ""}`)
process.exit(failed > 0 ? 1 : 0)
