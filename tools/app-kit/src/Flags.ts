/**
 * Command-line options that say what is wrong with a bad value, naming the flag: `--limit: "-5" is below 1`,
 * `--region: "xx" is not one of us, eu, au`. @effect/cli's own integer and choice options answer `'abc' is not a
 * integer` or `Expected one of the following cases: ...`, without the flag, and accept any integer.
 *
 * Each is a text option under the hood with a pseudo name for the usage line (`--limit integer`), read and checked
 * with `Options.mapEffect`, so a bad value fails while the command line is parsed: nothing runs, no token is needed.
 */
import { HelpDoc, Options, ValidationError } from "@effect/cli"
import { DateTime, Duration, Effect, Option } from "effect"

/** A bad value for `--<flag>`, as @effect/cli reports it (the app prints it as one line, exit code 2). */
export const invalid = (flag: string, problem: string): ValidationError.ValidationError =>
  ValidationError.invalidValue(HelpDoc.p(`--${flag}: ${problem}`))

const checked = <A>(name: string, pseudo: string, read: (text: string) => Either<A>): Options.Options<A> =>
  Options.text(name).pipe(
    Options.withPseudoName(pseudo),
    Options.mapEffect((text) => {
      const result = read(text)
      return "problem" in result ? Effect.fail(invalid(name, result.problem)) : Effect.succeed(result.value)
    })
  )

type Either<A> = { readonly value: A } | { readonly problem: string }

/** A whole number in `[min, max]` (both optional). */
export const integer = (
  name: string,
  bounds: { readonly min?: number | undefined; readonly max?: number | undefined } = {}
): Options.Options<number> =>
  checked(name, "integer", (text) => {
    const n = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : NaN
    if (!Number.isSafeInteger(n)) return { problem: `"${text}" is not a whole number` }
    if (bounds.min !== undefined && n < bounds.min) return { problem: `${n} is below ${bounds.min}` }
    if (bounds.max !== undefined && n > bounds.max) return { problem: `${n} is above ${bounds.max}` }
    return { value: n }
  })

/** One of `choices`, exactly as written there. */
export const choice = <const C extends ReadonlyArray<string>>(name: string, choices: C): Options.Options<C[number]> =>
  checked(name, choices.join(" | "), (text) =>
    choices.includes(text) ? { value: text as C[number] } : { problem: `"${text}" is not one of ${choices.join(", ")}` }
  )

/** Each of a repeatable flag's values one of `choices` (`--resource contacts --resource companies`). */
export const choices = <const C extends ReadonlyArray<string>>(
  name: string,
  choices: C
): Options.Options<ReadonlyArray<C[number]>> =>
  Options.text(name).pipe(
    Options.withPseudoName(choices.join(" | ")),
    // Only a plain option can be repeated; the values are checked after.
    Options.repeated,
    Options.mapEffect((values) => {
      const bad = values.find((value) => !choices.includes(value))
      return bad === undefined
        ? Effect.succeed(values as ReadonlyArray<C[number]>)
        : Effect.fail(invalid(name, `"${bad}" is not one of ${choices.join(", ")}`))
    })
  )

/** Reads `500ms`, `30s`, `10m`, `2h`, `1d`, `0`, or a duration as Effect writes it (`10 minutes`). */
export const parseDuration = (text: string): Option.Option<Duration.Duration> => {
  const trimmed = text.trim()
  if (trimmed === "0") return Option.some(Duration.zero)
  const short = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(trimmed)
  if (short === null) return Duration.decodeUnknown(trimmed)
  const n = Number(short[1])
  const millis = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[short[2] as "ms" | "s" | "m" | "h" | "d"]
  return Option.some(Duration.millis(n * millis))
}

/** A duration: `500ms`, `30s`, `10m`, `2h`, `1d`. */
export const duration = (name: string): Options.Options<Duration.Duration> =>
  checked(name, "duration", (text) =>
    Option.match(parseDuration(text), {
      onNone: () => ({ problem: `"${text}" is not a duration (e.g. 30s, 10m, 1h, 1d)` }),
      onSome: (value) => ({ value })
    })
  )

/**
 * Reads a point in time as unix seconds: a day (`2024-03-01`, its UTC midnight), an ISO date and time
 * (`2024-03-01T12:00:00Z`), or unix seconds (`1709251200`).
 */
export const parseTime = (text: string): Option.Option<number> => {
  const trimmed = text.trim()
  if (/^\d{9,11}$/.test(trimmed)) return Option.some(Number(trimmed))
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed)) return Option.none()
  // A bare day or a time without a zone means UTC, whatever this machine's timezone.
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(trimmed)
    ? `${trimmed}T00:00:00Z`
    : /(Z|[+-]\d{2}:?\d{2})$/.test(trimmed)
      ? trimmed
      : `${trimmed}Z`
  const millis = Date.parse(iso.replace(" ", "T"))
  // Date.parse rolls an impossible day over (2024-02-30 is March 1st): such a date is a typo, not a date.
  const day = trimmed.slice(0, 10)
  const sameDay = Number.isFinite(millis) && new Date(Date.parse(`${day}T00:00:00Z`)).toISOString().startsWith(day)
  return sameDay ? Option.some(Math.floor(millis / 1000)) : Option.none()
}

/** A point in time, as unix seconds (see {@link parseTime}). */
export const time = (name: string): Options.Options<number> =>
  checked(name, "date", (text) =>
    Option.match(parseTime(text), {
      onNone: () => ({ problem: `"${text}" is not a date (e.g. 2024-03-01, 2024-03-01T12:00:00Z, or unix seconds)` }),
      onSome: (value) => ({ value })
    })
  )

/** An IANA timezone name (`UTC`, `Europe/Dublin`), as this machine's Intl knows them. */
export const timeZone = (name: string): Options.Options<string> =>
  checked(name, "timezone", (text) =>
    Option.isSome(DateTime.zoneMakeNamed(text))
      ? { value: text }
      : { problem: `"${text}" is not a timezone name (e.g. UTC, Europe/Dublin)` }
  )

/** `Options.withDefault`, with the default named in the help (@effect/cli shows it only for some defaults). */
export const withDefault =
  <const B>(value: B, shown: string = String(value)) =>
  <A>(self: Options.Options<A>): Options.Options<A | B> =>
    self.pipe(Options.withDefault(value), Options.withDescription(`default: ${shown}`))
