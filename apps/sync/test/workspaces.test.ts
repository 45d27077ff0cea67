/**
 * The workspaces file of a cluster: tokens found where the file says, never echoed; every mistake one clear line.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as WorkspaceFile from "../src/WorkspaceFile.js"

const dir = mkdtempSync(join(tmpdir(), "sync-workspaces-"))
const write = (name: string, content: unknown) => {
  const path = join(dir, name)
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content))
  return path
}
const secret = "tok_workspace_file_secret_83"

describe("WorkspaceFile", () => {
  it.effect("reads tokens from the environment and from files, each copy in its own schema", () =>
    Effect.gen(function* () {
      process.env["WS_FILE_TEST_TOKEN"] = ` ${secret} \n`
      const tokenFile = write("token.txt", `${secret}-b\n`)
      const file = write("ok.json", {
        workspaces: [
          { name: "acme", tokenEnv: "WS_FILE_TEST_TOKEN" },
          { name: "globex_2", tokenFile }
        ]
      })
      const workspaces = yield* WorkspaceFile.read(file)
      assert.deepStrictEqual(
        workspaces.map((w) => [w.name, w.schema, Redacted.value(w.token)]),
        [
          ["acme", "intercom_acme", secret],
          ["globex_2", "intercom_globex_2", `${secret}-b`]
        ]
      )
      // Printed or logged, a workspace shows no token.
      assert.notInclude(JSON.stringify(workspaces) + String(workspaces[0]!.token), secret)
    })
  )

  it.effect("every mistake is a WorkspaceFileError with what to do, and no token in it", () =>
    Effect.gen(function* () {
      process.env["WS_FILE_TEST_TOKEN"] = secret
      delete process.env["WS_FILE_TEST_UNSET"]
      const cases: ReadonlyArray<readonly [string, RegExp]> = [
        [join(dir, "missing.json"), /cannot read the workspaces file .*ENOENT/],
        [write("bad.json", "{"), /is not a list of workspaces/],
        [write("empty.json", { workspaces: [] }), /is not a list of workspaces/],
        [write("name.json", { workspaces: [{ name: "Acme-1", tokenEnv: "X" }] }), /lower-case letters/],
        [
          write("unset.json", { workspaces: [{ name: "a", tokenEnv: "WS_FILE_TEST_UNSET" }] }),
          /WS_FILE_TEST_UNSET is not set/
        ],
        [write("nofile.json", { workspaces: [{ name: "a", tokenFile: join(dir, "nope") }] }), /cannot be read from/],
        [write("emptytoken.json", { workspaces: [{ name: "a", tokenFile: write("blank", "\n") }] }), /is empty/],
        [
          write("twice.json", {
            workspaces: [
              { name: "a", tokenEnv: "WS_FILE_TEST_TOKEN" },
              { name: "a", tokenEnv: "WS_FILE_TEST_TOKEN" }
            ]
          }),
          /listed twice/
        ]
      ]
      for (const [path, expected] of cases) {
        const error = yield* Effect.flip(WorkspaceFile.read(path))
        assert.strictEqual(error._tag, "WorkspaceFileError")
        assert.match(error.message, expected)
        assert.notInclude(error.message + error.fix, secret)
        assert.isFalse(error.message.includes("\n"), error.message)
      }
    })
  )

  it.effect("list names each workspace and its schema without reading a token, and refuses what read refuses", () =>
    Effect.gen(function* () {
      delete process.env["WS_FILE_TEST_UNSET"]
      const file = write("list.json", {
        workspaces: [
          { name: "acme", tokenEnv: "WS_FILE_TEST_UNSET" },
          { name: "globex", tokenFile: join(dir, "no-such-token") }
        ]
      })
      assert.deepStrictEqual(yield* WorkspaceFile.list(file), [
        { name: "acme", schema: "intercom_acme" },
        { name: "globex", schema: "intercom_globex" }
      ])
      // The same file is refused by read, which needs the tokens.
      assert.match((yield* Effect.flip(WorkspaceFile.read(file))).message, /WS_FILE_TEST_UNSET is not set/)
      const twice = write("list-twice.json", {
        workspaces: [
          { name: "a", tokenEnv: "X" },
          { name: "a", tokenEnv: "X" }
        ]
      })
      assert.match((yield* Effect.flip(WorkspaceFile.list(twice))).message, /listed twice/)
    })
  )
})
