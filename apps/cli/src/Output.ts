/**
 * How the CLI prints what Intercom returned: JSON (one object per line for lists, so the output pipes into `jq`) or
 * an aligned table of the fields that identify each kind of object.
 */
import { Console, Effect, Stream } from "effect"

/** The output format chosen with `--format`. */
export type Format = "json" | "table"

/** A table's columns: a header and how to read the cell from an object. */
export type Columns<A> = ReadonlyArray<readonly [header: string, cell: (a: A) => unknown]>

const cellText = (value: unknown): string =>
  value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value)

/** Renders rows as an aligned table. */
export const table = <A>(rows: ReadonlyArray<A>, columns: Columns<A>): string => {
  const cells = rows.map((row) => columns.map(([, cell]) => cellText(cell(row))))
  const widths = columns.map(([header], i) => Math.max(header.length, ...cells.map((r) => r[i]!.length)))
  const line = (values: ReadonlyArray<string>) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd()
  return [line(columns.map(([header]) => header)), ...cells.map(line)].join("\n")
}

/** Prints one object. */
export const one = <A>(format: Format, value: A, columns: Columns<A>): Effect.Effect<void> =>
  Console.log(format === "json" ? JSON.stringify(value, null, 2) : table([value], columns))

/** Prints a stream of objects: JSON lines as they come, or a table once all have arrived. */
export const many = <A, E, R>(
  format: Format,
  items: Stream.Stream<A, E, R>,
  columns: Columns<A>
): Effect.Effect<void, E, R> =>
  format === "json"
    ? Stream.runForEach(items, (item) => Console.log(JSON.stringify(item)))
    : Effect.flatMap(Stream.runCollect(items), (chunk) => Console.log(table([...chunk], columns)))

/** A unix timestamp as an ISO date, for tables. */
export const date = (seconds: number | null | undefined): string =>
  typeof seconds === "number" ? new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ") : ""
