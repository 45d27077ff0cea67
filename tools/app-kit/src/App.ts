/**
 * Runs an app's @effect/cli command as the process's main program, with what every app of this repository
 * promises its users:
 *
 * - a failure is one line on stderr, `<app>: <what failed, with Intercom's request id>. <What to do>`, and exit code
 *   1 (2 when the command line or the configuration is wrong: nothing was done); `--verbose` adds the full cause;
 * - Ctrl-C (SIGINT) or SIGTERM stop the run (its finalizers run: a store is closed at a page boundary) and print
 *   one line saying so, with how to continue where that is possible ({@link resumable}); exit code 130 / 143;
 * - `--help` (anywhere), `--version`, and a command that only groups others print without running anything, so they
 *   need no token; help names commands as they are typed (`intercom contacts list`);
 * - no ANSI codes on stdout or stderr when it is not a terminal.
 *
 * ```ts
 * App.run(Command.make("intercom-thing", options, handler), {
 *   name: "intercom-thing",
 *   version: "1.0.0",
 *   flags: { INTERCOM_ACCESS_TOKEN: "--token" }
 * })
 * ```
 */
import { Command } from "@effect/cli"
import type { Teardown } from "@effect/platform/Runtime"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Console, Context, Effect, Exit, Option } from "effect"
import * as Failure from "./Failure.js"
import * as Help from "./Help.js"
import * as PlainConsole from "./PlainConsole.js"

/** What a running app offers its handlers. */
export interface Service {
  /** The app's name, as users type it. */
  readonly name: string
  /** Whether `--verbose` was given. */
  readonly verbose: boolean
  /** Writes one line to stderr, prefixed with the app's name (plain text unless stderr is a terminal). */
  readonly notice: (line: string) => Effect.Effect<void>
  /** From now on, a stopped run says `note` after "stopped", e.g. "run the same command again to resume". */
  readonly whenStopped: (note: string) => Effect.Effect<void>
}

/** The running app. */
export class App extends Context.Tag("@intercom-effect/app-kit/App")<App, Service>() {}

/** What a handler may require from the runner. */
export type Environment = App | NodeContext.NodeContext

/**
 * Runs `self` saying, if the run is stopped (Ctrl-C, SIGTERM) from here on, that it can be continued and how.
 * The note stays for the rest of the run.
 */
export const resumable =
  (note: string) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | App> =>
    Effect.zipRight(
      Effect.flatMap(App, (app) => app.whenStopped(note)),
      self
    )

/** Writes one line to stderr, prefixed with the app's name. */
export const notice = (line: string): Effect.Effect<void, never, App> => Effect.flatMap(App, (app) => app.notice(line))

/** How the app is named and versioned, and which flags stand for which environment variables. */
export interface Options {
  readonly name: string
  readonly version: string
  /**
   * For a missing or invalid setting read from the environment, the flag that sets the same, so the message can
   * say both: `{ INTERCOM_ACCESS_TOKEN: "--token" }`.
   */
  readonly flags?: Readonly<Record<string, string>> | undefined
}

/**
 * Arguments the runner takes for itself, and the rest for the command. `--flag=value` becomes `--flag value`:
 * @effect/cli reads the `=` form for a single option but not for a repeatable one (`--resource=contacts` would be
 * an unknown argument), and users write both.
 */
const splitOwnFlags = (args: ReadonlyArray<string>): { readonly verbose: boolean; readonly rest: Array<string> } => {
  const end = args.indexOf("--")
  const head = (end < 0 ? args : args.slice(0, end)).flatMap((arg) => {
    const assigned = /^(--[A-Za-z][\w-]*)=([\s\S]*)$/.exec(arg)
    return assigned === null ? [arg] : [assigned[1]!, assigned[2]!]
  })
  const tail = end < 0 ? [] : args.slice(end)
  return { verbose: head.includes("--verbose"), rest: [...head.filter((arg) => arg !== "--verbose"), ...tail] }
}

const signals = { SIGINT: "Ctrl-C (SIGINT)", SIGTERM: "SIGTERM" } as const

/** Runs `command` on `process.argv` as the main program (see the module's description). Never returns. */
export const run = <Name extends string, E, A>(
  command: Command.Command<Name, Environment, E, A>,
  options: Options
): void => {
  const streams = PlainConsole.processStreams()
  const [node = "node", script = options.name, ...args] = process.argv
  const { verbose, rest } = splitOwnFlags(args)
  const root = Help.tree(command)
  const path = Help.locate(root, rest).path
  const context: Failure.Context = {
    name: options.name,
    verbose,
    help: `${Help.commandLine([{ ...root, name: options.name }, ...path.slice(1)])} --help`,
    flags: options.flags ?? {}
  }

  // Until the command's handler starts, whatever @effect/cli writes to stderr is a parse error it is about to fail
  // with: the runner tells that failure itself, as one line.
  let started = false
  let stopNote: string | undefined
  let signal: keyof typeof signals | undefined
  for (const name of ["SIGINT", "SIGTERM"] as const) {
    // `once`: a second Ctrl-C, while finalizers run, kills the process as usual.
    process.once(name, () => {
      signal ??= name
    })
  }

  const app: Service = {
    name: options.name,
    verbose,
    notice: (line) => Effect.sync(() => PlainConsole.write(streams.stderr, `${options.name}: ${line}\n`)),
    whenStopped: (note) =>
      Effect.sync(() => {
        stopNote = note
      })
  }

  const program = Effect.gen(function* () {
    if (rest.includes("--version") && !rest.includes("--help")) {
      return yield* Console.log(`${options.name} ${options.version}`)
    }
    const help = Help.requested(root, rest)
    if (Option.isSome(help)) {
      const [top, ...below] = help.value
      return yield* Console.log(Help.render([{ ...top!, name: options.name }, ...below], options.version))
    }
    const cli = Command.run(
      command.pipe(
        Command.transformHandler((handler) =>
          Effect.zipRight(
            Effect.sync(() => (started = true)),
            handler
          )
        )
      ),
      { name: options.name, version: options.version }
    )
    return yield* cli([node, script, ...rest])
  }).pipe(Effect.provideService(App, app), Effect.provide(NodeContext.layer), (self) =>
    Effect.flatMap(Effect.console, (base) =>
      Effect.withConsole(
        self,
        PlainConsole.make(base, streams, () => !started)
      )
    )
  )

  const teardown: Teardown = (exit, onExit) => {
    const say = (text: string) => PlainConsole.write(streams.stderr, `${text}\n`)
    if (signal !== undefined && !Exit.isSuccess(exit)) {
      say(`${options.name}: stopped by ${signals[signal]}${stopNote === undefined ? "" : `; ${stopNote}`}`)
      return onExit(signal === "SIGINT" ? Failure.ExitCode.sigint : Failure.ExitCode.sigterm)
    }
    if (Exit.isSuccess(exit)) return onExit(Failure.ExitCode.ok)
    if (Cause.isInterruptedOnly(exit.cause)) {
      say(`${options.name}: stopped`)
      return onExit(Failure.ExitCode.failed)
    }
    const described = Failure.describe(exit.cause, context)
    say(described.text)
    onExit(described.exitCode)
  }

  NodeRuntime.runMain(program, { disableErrorReporting: true, disablePrettyLogger: true, teardown })
}
