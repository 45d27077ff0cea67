/**
 * The `Console` an app runs with: `log` goes to stdout and `error` (also `warn`) to stderr, and on a stream that is
 * not a terminal every ANSI escape sequence is removed, so `intercom --help | less` or a log file holds plain text.
 * @effect/cli colours its help and messages unconditionally; this is where that stops.
 */
import * as Util from "node:util"
import { type Console, Effect } from "effect"

// CSI sequences (colours, cursor moves, line erases) and the two-byte escapes; enough for what @effect/printer-ansi
// and a progress line write.
// eslint-disable-next-line no-control-regex
const ansi = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g

/** `text` without ANSI escape sequences. */
export const stripAnsi = (text: string): string => text.replace(ansi, "")

/** A writable end of the process (stdout or stderr), and whether it is a terminal. */
export interface Stream {
  readonly write: (text: string) => void
  readonly isTTY: boolean
}

/** Writes `text` to `stream`, without ANSI codes unless it is a terminal. */
export const write = (stream: Stream, text: string): void => stream.write(stream.isTTY ? text : stripAnsi(text))

/** The process's stdout and stderr as {@link Stream}s. */
export const processStreams = (): { readonly stdout: Stream; readonly stderr: Stream } => ({
  stdout: { write: (text) => void process.stdout.write(text), isTTY: process.stdout.isTTY === true },
  stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true }
})

/**
 * A console over `base` (for the methods an app does not print with) whose `log`, `info`, `error` and `warn` write
 * to the given streams. `quietErrors` is consulted on each `error`/`warn`: while it answers true they are dropped
 * (the app runner renders @effect/cli's parse errors itself, as one line).
 */
export const make = (
  base: Console.Console,
  streams: { readonly stdout: Stream; readonly stderr: Stream },
  quietErrors: () => boolean = () => false
): Console.Console => {
  const line = (stream: Stream, args: ReadonlyArray<unknown>) =>
    Effect.sync(() => write(stream, `${Util.format(...args)}\n`))
  const toStderr = (...args: ReadonlyArray<unknown>) => (quietErrors() ? Effect.void : line(streams.stderr, args))
  return {
    ...base,
    log: (...args) => line(streams.stdout, args),
    info: (...args) => line(streams.stdout, args),
    error: toStderr,
    warn: toStderr
  }
}
