/**
 * The runner's parts on their own: reading flag values, describing failures, finding the help asked for.
 */
import { Command, Options } from "@effect/cli"
import { assert, describe, it } from "@effect/vitest"
import { IntercomError } from "@intercom-effect/http"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { Cause, ConfigError, Duration, Effect, Option } from "effect"
import { Failure, Flags, Help, PlainConsole } from "../src/index.js"

const context: Failure.Context = {
  name: "app",
  verbose: false,
  help: "app --help",
  flags: { INTERCOM_ACCESS_TOKEN: "--token" }
}

describe("Flags", () => {
  it("reads days, times and unix seconds as unix seconds, in UTC", () => {
    assert.deepStrictEqual(Flags.parseTime("2024-03-01"), Option.some(1709251200))
    assert.deepStrictEqual(Flags.parseTime("2024-03-01T12:00:00Z"), Option.some(1709251200 + 43200))
    assert.deepStrictEqual(Flags.parseTime("2024-03-01T12:00:00"), Option.some(1709251200 + 43200))
    assert.deepStrictEqual(Flags.parseTime("2024-03-01T12:00:00+01:00"), Option.some(1709251200 + 39600))
    assert.deepStrictEqual(Flags.parseTime("1709251200"), Option.some(1709251200))
    for (const bad of ["2024-13-01", "2024-02-30", "yesterday", "", "12"]) {
      assert.isTrue(Option.isNone(Flags.parseTime(bad)), bad)
    }
  })

  it("reads durations short and long", () => {
    assert.deepStrictEqual(Flags.parseDuration("10m"), Option.some(Duration.minutes(10)))
    assert.deepStrictEqual(Flags.parseDuration("1.5h"), Option.some(Duration.minutes(90)))
    assert.deepStrictEqual(Flags.parseDuration("250ms"), Option.some(Duration.millis(250)))
    assert.deepStrictEqual(Flags.parseDuration("30 seconds"), Option.some(Duration.seconds(30)))
    assert.deepStrictEqual(Flags.parseDuration("1d"), Option.some(Duration.days(1)))
    assert.deepStrictEqual(Flags.parseDuration("0"), Option.some(Duration.zero))
    assert.isTrue(Option.isNone(Flags.parseDuration("soon")))
  })
})

describe("Flags, parsed by @effect/cli and described as the app prints them", () => {
  const command = Command.make("count", {
    limit: Flags.integer("limit", { min: 1, max: 150 }).pipe(Flags.withDefault(50)),
    region: Flags.choice("region", ["us", "eu", "au"]).pipe(Options.optional),
    since: Flags.time("since").pipe(Options.optional),
    patience: Flags.duration("patience").pipe(Options.optional)
  })
  const refusal = (args: ReadonlyArray<string>) =>
    Command.run(command, { name: "count", version: "0" })(["node", "count", ...args]).pipe(
      Effect.flip,
      Effect.map((error) => Failure.describe(Cause.fail(error), { ...context, help: "count --help" })),
      Effect.provide(NodeContext.layer),
      // @effect/cli prints the problem too; the app runner drops that print, here it goes nowhere.
      Effect.withConsole({ ...Effect.runSync(Effect.console), error: () => Effect.void })
    )

  it.effect("each bad value names its flag and what is allowed, exit 2", () =>
    Effect.gen(function* () {
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
        [["--limit", "abc"], 'app: --limit: "abc" is not a whole number. See count --help'],
        [["--limit", "0"], "app: --limit: 0 is below 1. See count --help"],
        [["--limit", "151"], "app: --limit: 151 is above 150. See count --help"],
        [["--limit", "1.5"], 'app: --limit: "1.5" is not a whole number. See count --help'],
        [["--region", "xx"], 'app: --region: "xx" is not one of us, eu, au. See count --help'],
        [
          ["--since", "2024-02-30"],
          'app: --since: "2024-02-30" is not a date (e.g. 2024-03-01, 2024-03-01T12:00:00Z, or unix seconds). See count --help'
        ],
        [["--patience", "soon"], 'app: --patience: "soon" is not a duration (e.g. 30s, 10m, 1h, 1d). See count --help'],
        [["--bogus"], "app: Received unknown argument: '--bogus'. See count --help"]
      ]
      for (const [args, text] of cases) {
        assert.deepStrictEqual(yield* refusal(args), { text, exitCode: 2 }, args.join(" "))
      }
    })
  )
})

describe("Failure.describe", () => {
  it("a configuration error names the variable and the flag, never a value; exit 2", () => {
    const missing = Failure.describe(Cause.fail(ConfigError.MissingData(["INTERCOM_ACCESS_TOKEN"], "gone")), context)
    assert.deepStrictEqual(missing, {
      text: "app: INTERCOM_ACCESS_TOKEN is not set. Set INTERCOM_ACCESS_TOKEN or pass --token",
      exitCode: 2
    })
    const invalid = Failure.describe(
      Cause.fail(ConfigError.InvalidData(["INTERCOM_REGION"], "Expected us, eu or au")),
      context
    )
    assert.deepStrictEqual(invalid, {
      text: "app: INTERCOM_REGION is invalid: Expected us, eu or au. Correct it (set INTERCOM_REGION)",
      exitCode: 2
    })
  })

  it("a usage error and an app's failure with its fix; a message over several lines becomes one", () => {
    assert.deepStrictEqual(
      Failure.describe(
        Cause.fail(new Failure.UsageError({ message: "--email and --query exclude each other" })),
        context
      ),
      { text: "app: --email and --query exclude each other. See app --help", exitCode: 2 }
    )
    assert.deepStrictEqual(
      Failure.describe(
        Cause.fail(new Failure.Failure({ message: "out/\nholds an export", fix: "pass --resume" })),
        context
      ),
      { text: "app: out/ holds an export. Pass --resume", exitCode: 1 }
    )
  })

  it("every Intercom error gets a hint, and the request id stays in the line", () => {
    const error = new IntercomError.ServerError({
      method: "GET",
      path: "/contacts",
      status: 503,
      requestId: "req-9",
      errors: [],
      errorKey: null,
      body: "",
      retryAfterMillis: null
    })
    const { text, exitCode } = Failure.describe(Cause.fail(error), context)
    assert.strictEqual(exitCode, 1)
    assert.include(text, "[request_id req-9]")
    assert.include(text, "quote the request id to Intercom support")
    assert.notInclude(text, "\n")
  })
})

describe("Help", () => {
  const leaf = Command.make("list", { limit: Options.integer("limit") })
  const root = Command.make("top").pipe(
    Command.withSubcommands([Command.make("contacts").pipe(Command.withSubcommands([leaf, Command.make("get")]))])
  )
  const tree = Help.tree(root)

  it("reads the whole tree, below the first level too", () => {
    assert.deepStrictEqual(
      tree.children.map((c) => [c.name, c.children.map((g) => g.name)]),
      [["contacts", ["list", "get"]]]
    )
  })

  it("help is asked by --help or -h anywhere, or by a group named alone; a typo is left to the parser", () => {
    const names = (args: ReadonlyArray<string>) => Option.map(Help.requested(tree, args), Help.commandLine)
    assert.deepStrictEqual(names(["contacts", "list", "--help"]), Option.some("top contacts list"))
    assert.deepStrictEqual(names(["-h", "contacts"]), Option.some("top contacts"))
    assert.deepStrictEqual(names([]), Option.some("top"))
    assert.deepStrictEqual(names(["contacts"]), Option.some("top contacts"))
    assert.deepStrictEqual(names(["--format", "json"]), Option.some("top"))
    assert.deepStrictEqual(names(["contacts", "lst"]), Option.none())
    assert.deepStrictEqual(names(["--format", "json", "contacts", "--limit", "3", "lst"]), Option.none())
    assert.deepStrictEqual(names(["contacts", "list", "--", "--help"]), Option.none())
  })

  it("renders usage with the full command", () => {
    const text = PlainConsole.stripAnsi(Help.render(Help.locate(tree, ["contacts"]).path, "1.0.0"))
    assert.include(text, "$ top contacts <command>")
    assert.include(text, "  top contacts list --limit integer")
    assert.include(text, "  top contacts get")
  })
})
