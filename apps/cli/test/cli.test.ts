/**
 * The `intercom` command driven as a subprocess against the mock Intercom, the way a user runs it: list, get,
 * search and export, JSON and table output, `--resume`, `attributes codegen` (its module compiled and used), and the
 * token never in what it prints.
 */
import { execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { MockIntercom } from "@intercom-effect/mock-server"
import { Effect, Layer, Schema } from "effect"
import secret from "./secret.json" with { type: "json" }

const token: string = secret.token
const bin = fileURLToPath(new URL("../bin/intercom.mjs", import.meta.url))

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `intercom <args>` (its bin) against `baseUrl`, with `INTERCOM_ACCESS_TOKEN` set to `accessToken` (unset: none). */
const run = (baseUrl: string, accessToken: string | undefined, args: ReadonlyArray<string>): Effect.Effect<Run> =>
  Effect.async((resume) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("INTERCOM_")))
    const child = spawn(process.execPath, [bin, ...args], {
      env: {
        ...env,
        ...(accessToken === undefined ? {} : { INTERCOM_ACCESS_TOKEN: accessToken }),
        INTERCOM_BASE_URL: baseUrl
      },
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

const lines = (text: string): Array<string> => text.split("\n").filter((line) => line.length > 0)

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
// The codegen tests start the CLI two or three times and the TypeScript compiler once: a guard against hangs only.
const codegenTimeout = { timeout: 240_000 }

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
          assert.strictEqual(again.code, 2)
          assert.deepStrictEqual(lines(again.stderr), [
            `intercom: ${out} holds an export already. Pass --resume to continue it, or choose another --out`
          ])
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
    "no token, an empty one, a wrong one: each one line saying what to do",
    () =>
      withMock((mock) =>
        Effect.gen(function* () {
          const missing = yield* run(mock.url, undefined, ["admins", "me"])
          assert.strictEqual(missing.code, 2)
          assert.deepStrictEqual(lines(missing.stderr), [
            "intercom: INTERCOM_ACCESS_TOKEN is not set. Set INTERCOM_ACCESS_TOKEN or pass --token"
          ])
          const empty = yield* run(mock.url, "", ["admins", "me"])
          assert.strictEqual(empty.code, 2)
          // Named as the user set it (the variable, and the flag that sets the same), not as a field of the config.
          assert.deepStrictEqual(lines(empty.stderr), [
            "intercom: INTERCOM_ACCESS_TOKEN is invalid: the access token is empty. Correct it (set INTERCOM_ACCESS_TOKEN or pass --token)"
          ])
          const wrong = yield* intercom(mock.url, "--token", "not-the-right-token", "admins", "me")
          assert.strictEqual(wrong.code, 1)
          assert.lengthOf(lines(wrong.stderr), 1)
          assert.match(wrong.stderr, /^intercom: GET \/me answered 401 Unauthorized \[request_id [^\]]+\]/)
          assert.include(wrong.stderr, "Check the access token (INTERCOM_ACCESS_TOKEN or --token)")
          assert.notInclude(wrong.stderr, "not-the-right-token")
        })
      ),
    slow
  )

  it.live(
    "runs as users start it: pnpm --filter @intercom-effect/cli exec intercom",
    () =>
      Effect.async<Run>((resume) => {
        const child = spawn("pnpm", ["--filter", "@intercom-effect/cli", "exec", "intercom", "--version"], {
          cwd: fileURLToPath(new URL("../../..", import.meta.url)),
          stdio: ["ignore", "pipe", "pipe"]
        })
        let stdout = ""
        let stderr = ""
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
        child.on("close", (code) => resume(Effect.succeed({ code, stdout, stderr })))
        return Effect.sync(() => child.kill("SIGKILL"))
      }).pipe(
        Effect.map((version) => {
          assert.strictEqual(version.code, 0, version.stderr)
          assert.strictEqual(version.stdout, "intercom 0.0.0\n")
        })
      ),
    slow
  )

  it.live(
    "help without a token: commands named as typed, defaults shown, no ANSI when piped",
    () =>
      Effect.gen(function* () {
        const top = yield* run("http://127.0.0.1:1", undefined, ["--help"])
        assert.strictEqual(top.code, 0, top.stderr)
        assert.include(top.stdout, "  intercom contacts list [--limit integer] [--resume text]")
        assert.include(top.stdout, "  intercom admins me")
        assert.include(top.stdout, "default: table")
        assert.notInclude(top.stdout, "\x1b")
        const list = yield* run("http://127.0.0.1:1", undefined, ["contacts", "list", "--help"])
        assert.strictEqual(list.code, 0)
        assert.include(list.stdout, "$ intercom contacts list [--limit integer] [--resume text]")
        assert.include(list.stdout, "default: 50")
        const group = yield* run("http://127.0.0.1:1", undefined, ["contacts"])
        assert.strictEqual(group.code, 0)
        assert.include(group.stdout, "  intercom contacts search")
      }),
    slow
  )

  it.live(
    "bad input is refused before anything is sent, naming the flag and what is wrong, exit 2",
    () =>
      Effect.gen(function* () {
        const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
          [["contacts", "search", "--query", "{bad"], "intercom: --query: not valid JSON ("],
          [
            ["contacts", "search", "--query", '{"field":"email","operator":"LIKE","value":"a"}'],
            'intercom: --query: at operator: Expected "=" | "!="'
          ],
          [
            [
              "contacts",
              "search",
              "--query",
              '{"operator":"AND","value":[{"operator":"OR","value":[{"operator":"AND","value":[{"field":"a","operator":"=","value":1}]}]}]}'
            ],
            "intercom: --query: at value[0].value[0]: groups may nest at most 2 levels deep"
          ],
          [
            ["contacts", "search", "--role", "lead", "--query", '{"field":"role","operator":"=","value":"user"}'],
            "intercom: --role cannot be combined with --query. Put the condition into the query"
          ],
          [
            ["contacts", "list", "--limit", "-5"],
            "intercom: --limit: -5 is below 1. See intercom contacts list --help"
          ],
          [["--region", "xx", "admins", "me"], 'intercom: --region: "xx" is not one of us, eu, au.'],
          [["--format", "yaml", "admins", "me"], 'intercom: --format: "yaml" is not one of table, json.'],
          [
            ["contacts", "list", "--resume", "somewhere"],
            "intercom: --resume: not a position this list can continue from"
          ]
        ]
        // Nothing listens at this address: any request would fail differently.
        for (const [args, start] of cases) {
          const refused = yield* run("http://127.0.0.1:1", token, args)
          assert.strictEqual(refused.code, 2, `${args.join(" ")}: ${refused.stderr}`)
          assert.lengthOf(lines(refused.stderr), 1, refused.stderr)
          assert.isTrue(refused.stderr.startsWith(start), refused.stderr)
        }
      }),
    { timeout: 180_000 }
  )
})

/**
 * A directory outside the repository for a generated module, seeing this package's dependencies the way a user's
 * project sees its own.
 */
const userProject = Effect.acquireRelease(
  Effect.sync(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "intercom-attributes-"))
    fs.symlinkSync(fileURLToPath(new URL("../node_modules", import.meta.url)), path.join(dir, "node_modules"), "dir")
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }))
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: fileURLToPath(new URL("../../../tsconfig.base.json", import.meta.url)),
        compilerOptions: { noEmit: true },
        include: ["*.ts"]
      })
    )
    return dir
  }),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

/** Code of the user's that must compile against the generated module (types checked by assignment). */
const usage = `import { Contacts } from "@intercom-effect/services"
import { Effect } from "effect"
import { ContactAttributes } from "./ContactAttributes.js"

export const program = Effect.gen(function* () {
  const contacts = (yield* Contacts.Contacts).withAttributes(ContactAttributes)
  const contact = yield* contacts.get("c1")
  const plan: "free" | "pro" | "enterprise" | null | undefined = contact.custom_attributes.plan
  const seats: number | null | undefined = contact.custom_attributes.seats
  const manager: string | null | undefined = contact.custom_attributes["Account Manager"]
  const twoFactor: boolean | null | undefined = contact.custom_attributes["2fa_enabled"]
  const trialEnds: number | null | undefined = contact.custom_attributes.trial_ends_at
  // @ts-expect-error -- not one of the list attribute's options
  yield* contacts.update(contact.id, { custom_attributes: { plan: "gold" } })
  // @ts-expect-error -- archived attributes are not generated
  yield* contacts.update(contact.id, { custom_attributes: { legacy_score: 1 } })
  return [plan, seats, manager, twoFactor, trialEnds]
})
`

describe("intercom attributes codegen", () => {
  it.scopedLive(
    "writes a module that compiles, types the attributes and decodes every seeded contact's",
    () =>
      withMock((mock) =>
        Effect.scoped(
          Effect.gen(function* () {
            const dir = yield* userProject
            const file = path.join(dir, "ContactAttributes.ts")
            const written = yield* intercom(mock.url, "attributes", "codegen", "--out", file)
            assert.strictEqual(written.code, 0, written.stderr)
            assert.include(written.stderr, `wrote ${file}`)
            const module = fs.readFileSync(file, "utf8")
            assert.include(module, `plan: Schema.optional(Schema.NullOr(Schema.Literal("free", "pro", "enterprise")))`)
            assert.include(module, `seats: Schema.optional(Schema.NullOr(Schema.Int))`)
            assert.include(module, `"lifetime value": Schema.optional(Schema.NullOr(Schema.Finite))`)
            assert.include(module, `"2fa_enabled": Schema.optional(Schema.NullOr(Schema.Boolean))`)
            assert.include(module, `"Account Manager": Schema.optional(Schema.NullOr(Schema.String))`)
            assert.match(
              module,
              /date, as unix seconds\) \*\/\n {2}trial_ends_at: Schema.optional\(Schema.NullOr\(Schema.Int\)\)/
            )
            // Standard and archived attributes are not custom attributes to type.
            assert.notInclude(module, "legacy_score")
            assert.notInclude(module, "email")

            fs.writeFileSync(path.join(dir, "usage.ts"), usage)
            const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url))
            const compiled = yield* Effect.try({
              try: () =>
                execFileSync(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.json")], { stdio: "pipe" }),
              catch: (error) => String((error as { readonly stdout?: unknown }).stdout ?? error)
            }).pipe(Effect.either)
            assert.isTrue(compiled._tag === "Right", compiled._tag === "Left" ? compiled.left : "")

            const generated = (yield* Effect.promise(() => import(pathToFileURL(file).href))) as {
              readonly ContactAttributes: Schema.Schema<Record<string, unknown>, Record<string, unknown>>
            }
            const decode = Schema.decodeUnknownSync(generated.ContactAttributes, { onExcessProperty: "error" })
            for (const record of mock.state.contacts.values()) decode(record.contact.custom_attributes ?? {})
            assert.throws(() => decode({ seats: 1.5 }))

            const again = yield* intercom(mock.url, "attributes", "codegen")
            assert.strictEqual(again.stdout, module)
          })
        )
      ),
    codegenTimeout
  )

  it.scopedLive(
    "--model company and --name; a --name that is not an identifier is a usage error",
    () =>
      withMock((mock) =>
        Effect.gen(function* () {
          const companies = yield* intercom(mock.url, "attributes", "codegen", "--model", "company", "--name", "Firm")
          assert.strictEqual(companies.code, 0, companies.stderr)
          assert.include(companies.stdout, "export const Firm = Schema.Struct({")
          assert.include(
            companies.stdout,
            `tier: Schema.optional(Schema.NullOr(Schema.Literal("free", "pro", "enterprise")))`
          )
          assert.include(companies.stdout, "region: Schema.optional(Schema.NullOr(Schema.String))")
          assert.notInclude(companies.stdout, "monthly_spend")
          const bad = yield* intercom(mock.url, "attributes", "codegen", "--name", "my attributes")
          assert.notStrictEqual(bad.code, 0)
          assert.include(bad.stderr + bad.stdout, "--name must be a TypeScript identifier")
        })
      ),
    codegenTimeout
  )
})
