#!/usr/bin/env node
// After `changeset version`, copy each package's version into the constant it reports at run time (User-Agent).
import { readFileSync, writeFileSync } from "node:fs"

const targets = [{ pkg: "packages/http/package.json", file: "packages/http/src/internal/version.ts" }]
for (const { pkg, file } of targets) {
  const { version } = JSON.parse(readFileSync(pkg, "utf8"))
  const source = readFileSync(file, "utf8")
  const next = source.replace(/export const version = "[^"]*"/, `export const version = "${version}"`)
  if (next !== source) {
    writeFileSync(file, next)
    console.log(`${file}: ${version}`)
  }
}
