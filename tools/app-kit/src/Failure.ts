/**
 * How a failed run is told: one line on stderr saying what failed (with Intercom's request id when there is one)
 * and what to do, and an exit code. `--verbose` adds the full cause below that line. Stack traces never appear
 * otherwise: they name this machine's paths and tell a user nothing they can act on.
 *
 * Exit codes: 1 the run failed; 2 the command line or the configuration is wrong, and nothing was done;
 * 130 / 143 stopped by SIGINT (Ctrl-C) / SIGTERM (see `App`).
 */
import { HelpDoc, ValidationError } from "@effect/cli"
import { IntercomError } from "@intercom-effect/http"
import { Cause, ConfigError, Data, Option, Predicate } from "effect"
import * as Hints from "./Hints.js"
import { stripAnsi } from "./PlainConsole.js"

/** The exit codes an app ends with. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  sigint: 130,
  sigterm: 143
} as const

/**
 * A failure of the app's own making, told as `message` and, when given, `fix` (what to do). Exit code 1.
 */
export class Failure extends Data.TaggedError("AppFailure")<{
  readonly message: string
  readonly fix?: string | undefined
}> {}

/**
 * Input the command line cannot mean (flags that exclude each other, a value out of range): exit code 2, and
 * nothing was done.
 */
export class UsageError extends Data.TaggedError("UsageError")<{
  readonly message: string
  readonly fix?: string | undefined
}> {}

/** What a failed run prints and how it exits. */
export interface Described {
  /** One line (`--verbose`: that line, then the full cause). */
  readonly text: string
  readonly exitCode: number
}

/** What the description of a failure needs to know about the app. */
export interface Context {
  /** The app's name, the line's prefix. */
  readonly name: string
  /** The full cause follows the line. */
  readonly verbose: boolean
  /** The help to point at after a usage error, e.g. `intercom contacts list --help`. */
  readonly help: string
  /** For a configuration error about a variable: the flag that sets the same, e.g. `{ INTERCOM_ACCESS_TOKEN: "--token" }`. */
  readonly flags: Readonly<Record<string, string>>
}

/** `text` on one line: line breaks and runs of spaces become one space. */
export const oneLine = (text: string): string => stripAnsi(text).replace(/\s+/g, " ").trim()

const sentence = (what: string, fix: string | undefined): string => {
  const head = oneLine(what).replace(/[.;:]+$/, "")
  return fix === undefined || fix.length === 0 ? head : `${head}. ${capitalise(oneLine(fix))}`
}

/** The first leaf of a configuration error: the one setting to fix first. */
const firstConfigLeaf = (
  error: ConfigError.ConfigError
): { readonly missing: boolean; readonly path: string; readonly message: string } => {
  switch (error._op) {
    case "And":
    case "Or":
      return firstConfigLeaf(error.left)
    case "MissingData":
      return { missing: true, path: error.path.join("."), message: error.message }
    case "InvalidData":
    case "SourceUnavailable":
    case "Unsupported":
      return { missing: false, path: error.path.join("."), message: error.message }
  }
}

const describeConfig = (error: ConfigError.ConfigError, context: Context): string => {
  const leaf = firstConfigLeaf(error)
  const flag = context.flags[leaf.path]
  const set = flag === undefined ? `set ${leaf.path}` : `set ${leaf.path} or pass ${flag}`
  return leaf.missing
    ? sentence(`${leaf.path} is not set`, set)
    : sentence(`${leaf.path} is invalid: ${leaf.message}`, `correct it (${set})`)
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

const describeError = (error: unknown, context: Context): { readonly line: string; readonly exitCode: number } => {
  if (ValidationError.isValidationError(error)) {
    const text = "error" in error ? HelpDoc.toAnsiText(error.error) : "the command line is incomplete"
    return { line: sentence(text, `see ${context.help}`), exitCode: ExitCode.usage }
  }
  if (ConfigError.isConfigError(error)) {
    return { line: describeConfig(error, context), exitCode: ExitCode.usage }
  }
  if (IntercomError.isIntercomError(error)) {
    return { line: sentence(error.message, Hints.forIntercomError(error, context.flags)), exitCode: ExitCode.failed }
  }
  if (error instanceof UsageError) {
    return { line: sentence(error.message, error.fix ?? `see ${context.help}`), exitCode: ExitCode.usage }
  }
  if (Predicate.hasProperty(error, "message") && typeof error.message === "string") {
    const fix = Predicate.hasProperty(error, "fix") && typeof error.fix === "string" ? error.fix : undefined
    return { line: sentence(error.message, fix), exitCode: ExitCode.failed }
  }
  return { line: oneLine(String(error)), exitCode: ExitCode.failed }
}

/**
 * The line (and exit code) for a run that ended with `cause`. A typed failure is told by its own message and the
 * hint for its kind; a defect is a bug, told as such.
 */
export const describe = (cause: Cause.Cause<unknown>, context: Context): Described => {
  const described = Option.match(Cause.failureOption(cause), {
    onSome: (error) => describeError(error, context),
    onNone: () => {
      const defect = Option.getOrUndefined(Cause.dieOption(cause))
      const what =
        defect instanceof Error ? defect.message : Predicate.isUndefined(defect) ? "interrupted" : String(defect)
      return {
        line: sentence(
          `unexpected error: ${what}`,
          "This is a bug: run again with --verbose and report what it prints"
        ),
        exitCode: ExitCode.failed
      }
    }
  })
  const line = `${context.name}: ${described.line}`
  return {
    text: context.verbose ? `${line}\n\n${Cause.pretty(cause, { renderErrorCause: true })}` : line,
    exitCode: described.exitCode
  }
}
