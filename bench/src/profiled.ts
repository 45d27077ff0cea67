/**
 * A CPU profile of one measured pass inside a child: the inspector's profiler, rather than `node --cpu-prof`, keeps
 * start-up and warm-up out of the profile. The figures of a profiled pass are slower and are not reported.
 */
import { writeFileSync } from "node:fs"
import { Session } from "node:inspector/promises"

/** Runs `run`, profiled into `profileTo` when it is set. */
export const profiled = async <A>(profileTo: string | undefined, run: () => Promise<A>): Promise<A> => {
  if (profileTo === undefined) return run()
  const session = new Session()
  session.connect()
  await session.post("Profiler.enable")
  // 100 µs: fine enough to see a per-call path of a few hundred µs, cheap enough not to reshape it.
  await session.post("Profiler.setSamplingInterval", { interval: 100 })
  await session.post("Profiler.start")
  try {
    return await run()
  } finally {
    const { profile } = await session.post("Profiler.stop")
    writeFileSync(profileTo, JSON.stringify(profile))
    session.disconnect()
  }
}
