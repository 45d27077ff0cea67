/**
 * How busy the rest of the machine was during a run. The benchmark shares two cores with whatever else runs (test
 * suites, editors, other benchmarks), and a figure taken while another process held a core is not comparable; the
 * report says how much CPU went elsewhere so a reader can tell a quiet run from a noisy one.
 *
 * Linux only (it reads /proc); elsewhere nothing is reported.
 */
import { readFileSync } from "node:fs"

/** Clock ticks per second of /proc's counters (USER_HZ, 100 on every Linux build in use). */
const TICKS_PER_SECOND = 100

export interface CpuSnapshot {
  readonly at: number
  /** Busy ticks of the whole machine, all cores. */
  readonly machine: number
  /** Ticks of this process and of every child it has reaped (the server and each measuring child, once exited). */
  readonly ours: number
}

export const snapshot = (): CpuSnapshot | undefined => {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync("/proc/stat", "utf8")
      .split("\n")[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number)
    // Fields after the command name, which may hold spaces but ends at the last ")".
    const self = readFileSync("/proc/self/stat", "utf8")
    const fields = self
      .slice(self.lastIndexOf(")") + 2)
      .split(" ")
      .map(Number)
    // utime, stime, cutime, cstime are fields 14-17 of the file, 12-15 counted from the state field.
    const ours = fields[11]! + fields[12]! + fields[13]! + fields[14]!
    const machine = user! + nice! + system! + irq! + softirq! + (steal ?? 0)
    return Number.isFinite(machine + ours) ? { at: performance.now(), machine, ours } : undefined
  } catch {
    return undefined
  }
}

/** Cores' worth of CPU that other processes (and the hypervisor's steal) used between two snapshots, on average. */
export const othersCores = (before: CpuSnapshot | undefined, after: CpuSnapshot | undefined): number | undefined => {
  if (before === undefined || after === undefined || after.at <= before.at) return undefined
  const others = after.machine - before.machine - (after.ours - before.ours)
  return Math.max(0, others / TICKS_PER_SECOND / ((after.at - before.at) / 1000))
}
