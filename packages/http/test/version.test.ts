import { assert, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { version } from "../src/internal/version.js"

it("reports the version of package.json in the User-Agent (scripts/sync-versions.mjs keeps them equal)", () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
  assert.strictEqual(version, pkg.version)
})
