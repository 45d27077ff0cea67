/**
 * Markdown tables laid out the way prettier lays them out (padded cells, a colon on right-aligned columns), so a
 * written BENCHMARKS.md passes `prettier --check` as it comes and the terminal shows the same aligned table.
 */

/** A column: its header and whether its cells are right-aligned (numbers). */
export interface Column {
  readonly header: string
  readonly right?: boolean
}

export const table = (columns: ReadonlyArray<Column>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = columns.map((column, i) =>
    Math.max(3, column.header.length, ...rows.map((row) => (row[i] ?? "").length))
  )
  const line = (cells: ReadonlyArray<string>) =>
    `| ${cells
      .map((cell, i) => (columns[i]?.right ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join(" | ")} |`
  const rule = `| ${widths.map((width, i) => (columns[i]?.right ? `${"-".repeat(width - 1)}:` : "-".repeat(width))).join(" | ")} |`
  return [line(columns.map((column) => column.header)), rule, ...rows.map((row) => line(row))].join("\n")
}
