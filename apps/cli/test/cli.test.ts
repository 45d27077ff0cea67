/**
 * The `intercom` command driven as a subprocess against the mock Intercom, the way a user runs it: list, get,
 * search and export, JSON and table output, `--resume`, and the token never in what it prints.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { MockIntercom } from "@intercom-effect/mock-server"
import { Effect, Layer } from "effect"
import secret from "./secret.json" with { type: "json" }

const token: string = secret.token
const main = fileURLToPath(new URL("../src/main.ts", import.meta.url))

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `intercom <args>` against `baseUrl`, with `INTERCOM_ACCESS_TOKEN` set to `accessToken`. */
const run = (baseUrl: string, accessToken: string, args: ReadonlyArray<string>): Effect.Effect<Run> =>
  Effect.async((resume) => {
    const child = spawn(process.execPath, ["--import", "tsx", main, ...args], {
      env: { ...process.env, INTERCOM_ACCESS_TOKEN: accessToken, INTERCOM_BASE_URL: baseUrl },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    child.on("close", (code) => resume(Effect.succeed({ code, stdout, stderr })))
    return Effect.sync(() => child.kill("SIGKILL"))
  })

/** `intercom <args>` with the test token; nothing it prints may hold the token. */
const intercom = (baseUrl: string, ...args: ReadonlyArray<string>): Effect.Effect<Run> =>
  Effect.tap(run(baseUrl, token, args), (result) =>
    Effect.sync(() => assert.isFalse((result.stdout + result.stderr).includes(token), "the token was printed"))
  )

const jsonLines = (text: string): Array<Record<string, unknown>> =>
  text
    .trim()
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>)

const withMock = <A, E>(f: (mock: MockIntercom.Service) => Effect.Effect<A, E>) =>
  Effect.flatMap(MockIntercom.MockIntercom, f).pipe(
    Effect.provide(
      MockIntercom.layer({ seed: 11, accessToken: token, contacts: 600, conversations: 120, companies: 30 }).pipe(
        Layer.orDie
      )
    )
  )

const slow = { timeout: 60_000 }

describe("intercom (the CLI)", () => {
  it.scopedLive(
    "contacts list: JSON lines, the limit, and --resume continuing right after them",
    () =>
      withMock((mock) =>
        Effect.gen(function* () {
          const first = yield* intercom(mock.url, "--format", "json", "contacts", "list", "--limit", "40")
          assert.strictEqual(first.code, 0, first.stderr)
          const page1 = jsonLines(first.stdout)
          assert.strictEqual(page1.length, 40)
          const resume = /--resume '([^']+)'/.exec(first.stderr)?.[1]
          assert.isDefined(resume)
          const second = yield* intercom(
            mock.url,
            ...["--format", "json", "contacts", "list", "--limit", "40", "--resume", resume!]
          )
          const page2 = jsonLines(second.stdout)
          assert.strictEqual(page2.length, 40)
          const ids = [...page1, ...page2].map((c) => c["id"])
          const expected = mock.state.contacts
            .values()
            .slice(0, 80)
            .map((r) => r.id)
          assert.deepStrictEqual(ids, expected)
        })
      ),
    slow
  )

  it.scopedLive(
    "contacts get prints a table; search finds exactly the leads",
    () =>
      withMock((mock) =>
        Effect.gen(function* () {
          const someone = mock.state.contacts.values()[3]!
          const got = yield* intercom(mock.url, "contacts", "get", someone.id)
          assert.strictEqual(got.code, 0, got.stderr)
          assert.match(got.stdout.split("\n")[0]!, /^id\s+role\s+email/)
          assert.include(got.stdout, someone.id)

          const leads = mock.state.contacts.values().filter((r) => r.contact.role === "lead")
          const found = yield* intercom(
            mock.url,
            ...["--format", "json", "contacts", "search", "--role", "lead", "--limit", "1000"]
          )
          assert.strictEqual(found.code, 0, found.stderr)
          const rows = jsonLines(found.stdout)
          assert.isAbove(leads.length, 0)
          assert.strictEqual(rows.length, leads.length)
          assert.isTrue(rows.every((row) => row["role"] === "lead"))
        })
      ),
    slow
  )

  it.scopedLive(
    "contacts export writes every contact once, and extends an export only with --resume",
    () =>
      withMock((mock) =>
        Effect.gen(function* () {
          const out = fs.mkdtempSync(path.join(os.tmpdir(), "intercom-cli-export-"))
          const first = yield* intercom(mock.url, "contacts", "export", "--out", out)
          assert.strictEqual(first.code, 0, first.stderr)
          assert.include(first.stderr, "stored: 600 contacts")
          const ids = jsonLines(fs.readFileSync(path.join(out, "contacts.ndjson"), "utf8")).map((c) => c["id"])
          assert.strictEqual(ids.length, 600)
          assert.strictEqual(new Set(ids).size, 600)

          const again = yield* intercom(mock.url, "contacts", "export", "--out", out)
          assert.notStrictEqual(again.code, 0)
          assert.include(again.stderr, "--resume")
          const resumed = yield* intercom(mock.url, "contacts", "export", "--out", out, "--resume")
          assert.strictEqual(resumed.code, 0, resumed.stderr)
          assert.include(resumed.stderr, "already complete")
        })
      ),
    slow
  )

  it.scopedLive(
    "conversations search, companies list and admins me",
    () =>
      withMock((mock) =>
        Effect.gen(function* () {
          const open = mock.state.conversations.values().filter((r) => r.conversation.state === "open")
          const found = yield* intercom(
            mock.url,
            ...["--format", "json", "conversations", "search", "--state", "open", "--limit", "500"]
          )
          assert.strictEqual(found.code, 0, found.stderr)
          assert.strictEqual(jsonLines(found.stdout).length, open.length)

          const companies = yield* intercom(mock.url, "--format", "json", "companies", "list", "--limit", "100")
          assert.strictEqual(companies.code, 0, companies.stderr)
          assert.strictEqual(jsonLines(companies.stdout).length, 30)

          const me = yield* intercom(mock.url, "admins", "me")
          assert.strictEqual(me.code, 0, me.stderr)
          assert.include(me.stdout, mock.state.admins[0]!.id)
        })
      ),
    slow
  )

  it.scopedLive(
    "an empty token is a clear error, and a wrong one a 401",
    () =>
      withMock((mock) =>
        Effect.gen(function* () {
          const missing = yield* run(mock.url, "", ["admins", "me"])
          assert.notStrictEqual(missing.code, 0)
          assert.include(missing.stderr, "access token")
          const wrong = yield* intercom(mock.url, "--token", "not-the-right-token", "admins", "me")
          assert.notStrictEqual(wrong.code, 0)
          assert.include(wrong.stderr, "Unauthorized")
          assert.notInclude(wrong.stderr, "not-the-right-token")
        })
      ),
    slow
  )
})
