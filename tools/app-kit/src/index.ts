/**
 * What every app's entry point shares: see `App.run`.
 */

/** Runs an app's command as the main program: one-line failures, exit codes, Ctrl-C, help, plain output. */
export * as App from "./App.js"

/** A failed run as one line and an exit code; the app's own failure classes. */
export * as Failure from "./Failure.js"

/** Command-line options whose errors name the flag. */
export * as Flags from "./Flags.js"

/** Help for a command tree, with commands named as they are typed. */
export * as Help from "./Help.js"

/** What to do after each kind of Intercom failure. */
export * as Hints from "./Hints.js"

/** The console apps write through: no ANSI codes when not on a terminal. */
export * as PlainConsole from "./PlainConsole.js"

/** The SDK's retry policy, announcing an unreachable Intercom once. */
export * as Retry from "./Retry.js"
