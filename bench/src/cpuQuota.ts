/**
 * A CPU quota for one process, through a Linux cgroup of its own: the process gets at most `cores` of CPU time per
 * second, as if it ran on a machine of that size. The cluster job uses it to make a runner, not the shared 2-core
 * machine, the bottleneck of its runner-bound pair: without it every process of the job (PostgreSQL, the mock, the
 * runners) shares the same two cores, and a second runner brings no CPU of its own.
 *
 * It needs a writable cgroup `cpu` controller (root, cgroup v1 at /sys/fs/cgroup/cpu, or v2 with `cpu` enabled at
 * /sys/fs/cgroup); elsewhere it does nothing and says so, and the job runs unconstrained.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Effect, type Scope } from "effect"

/** Where the quota is written, by cgroup version. */
interface Hierarchy {
  readonly version: 1 | 2
  readonly root: string
}

const hierarchy = (): Hierarchy | undefined => {
  const v1 = "/sys/fs/cgroup/cpu"
  if (existsSync(join(v1, "cpu.cfs_quota_us"))) return { version: 1, root: v1 }
  const v2 = "/sys/fs/cgroup"
  try {
    if (readFileSync(join(v2, "cgroup.subtree_control"), "utf8").split(/\s+/).includes("cpu")) {
      return { version: 2, root: v2 }
    }
  } catch {
    // no v2 hierarchy here
  }
  return undefined
}

const period = 100_000

/**
 * Puts `pid` under a quota of `cores` CPUs until the scope closes (then the process goes back to the root group and
 * the group is removed). Succeeds with why not when the machine offers no writable `cpu` cgroup.
 */
export const limit = (pid: number, cores: number): Effect.Effect<string | undefined, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync((): { readonly dir?: string; readonly root?: string; readonly why?: string } => {
      const found = hierarchy()
      if (found === undefined) return { why: "no cgroup cpu controller" }
      const dir = join(found.root, `intercom-bench-${pid}`)
      try {
        mkdirSync(dir, { recursive: true })
        const quota = Math.round(cores * period)
        if (found.version === 1) {
          writeFileSync(join(dir, "cpu.cfs_period_us"), String(period))
          writeFileSync(join(dir, "cpu.cfs_quota_us"), String(quota))
        } else {
          writeFileSync(join(dir, "cpu.max"), `${quota} ${period}`)
        }
        writeFileSync(join(dir, "cgroup.procs"), String(pid))
        return { dir, root: found.root }
      } catch (error) {
        return { why: `cgroup not writable (${error instanceof Error ? error.message : String(error)})` }
      }
    }),
    (held) =>
      Effect.sync(() => {
        if (held.dir === undefined || held.root === undefined) return
        try {
          // A process still alive goes back to the root group; an empty group can be removed.
          writeFileSync(join(held.root, "cgroup.procs"), String(pid))
        } catch {
          // it has ended
        }
        try {
          rmdirSync(held.dir)
        } catch {
          // left for the machine's next boot; harmless
        }
      })
  ).pipe(Effect.map((held) => held.why))
