/**
 * Summaries over rounds. Rounds are few (2 to 5), so the median says what a typical round did and the minimum (or
 * maximum, for a rate) what the machine can do when nothing else gets in the way.
 */

export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length === 0 ? NaN : sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export const min = (values: ReadonlyArray<number>): number => (values.length === 0 ? NaN : Math.min(...values))

export const max = (values: ReadonlyArray<number>): number => (values.length === 0 ? NaN : Math.max(...values))

/** `1234567.8` as "1,234,568"; `digits` decimals when asked. */
export const num = (value: number, digits = 0): string =>
  Number.isFinite(value)
    ? value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : "n/a"

/** A ratio as "1.83×". */
export const ratio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : "n/a")
