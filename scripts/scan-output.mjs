#!/usr/bin/env node
// Runs a command, passes its output through, and fails if any secret used by the tests shows up in that output.
// Usage: node scripts/scan-output.mjs <secret.json>... -- <command> [args...]
// Each secret.json holds {"token": "..."}; the values are never printed, only whether and how often they were seen.
// It also adds up vitest's per-project summaries into one closing line, "tests: N passed, N failed, N skipped".
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"

const split = process.argv.indexOf("--")
if (split < 0 || split === process.argv.length - 1) {
  console.error("usage: scan-output.mjs <secret.json>... -- <command> [args...]")
  process.exit(2)
}
const secrets = process.argv
  .slice(2, split)
  .map((file) => JSON.parse(readFileSync(file, "utf8")).token)
  .filter((token) => typeof token === "string" && token.length >= 8)
const [command, ...args] = process.argv.slice(split + 1)

const tail = { stdout: "", stderr: "" }
const lines = { stdout: "", stderr: "" }
const totals = { passed: 0, failed: 0, skipped: 0 }
// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*m/g
const countSummary = (line) => {
  const plain = line.replace(ansi, "")
  const summary = /^(?:\S+:\s+)?\s*Tests\s+(.*)\(\d+\)\s*$/.exec(plain)
  if (summary === null) return
  for (const [, n, kind] of summary[1].matchAll(/(\d+) (passed|failed|skipped)/g)) totals[kind] += Number(n)
}
const hits = new Map(secrets.map((s) => [s, 0]))
const longest = Math.max(0, ...secrets.map((s) => s.length))

const child = spawn(command, args, { stdio: ["inherit", "pipe", "pipe"], env: process.env })
for (const name of ["stdout", "stderr"]) {
  child[name].on("data", (chunk) => {
    process[name].write(chunk)
    // Keep the end of the previous chunk so a token split across two chunks is still found.
    const text = tail[name] + chunk.toString("utf8")
    for (const secret of secrets) {
      let at = text.indexOf(secret)
      while (at >= 0) {
        if (at + secret.length > tail[name].length) hits.set(secret, hits.get(secret) + 1)
        at = text.indexOf(secret, at + 1)
      }
    }
    tail[name] = text.slice(-longest)
    const parts = (lines[name] + chunk.toString("utf8")).split("\n")
    lines[name] = parts.pop()
    parts.forEach(countSummary)
  })
}
child.on("close", (code) => {
  countSummary(lines.stdout)
  countSummary(lines.stderr)
  const leaked = [...hits.values()].reduce((a, b) => a + b, 0)
  console.log(`secret scan: ${secrets.length} test secret(s), ${leaked} occurrence(s) in the output`)
  if (leaked > 0) {
    console.error("secret scan FAILED: a test secret appeared in the output")
    process.exit(1)
  }
  if (code === 0 && totals.passed === 0) {
    console.error("no test ran")
    process.exit(1)
  }
  console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
  process.exit(code ?? 1)
})
