/**
 * `pnpm bench --profile`: where a contender's CPU goes in W1 and W3. Each workload runs once in a fresh child
 * that profiles its measured pass (see `child.ts`); this module reads the profiles and prints self time by module
 * and by function.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { SourceMap, type SourceMapPayload } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join, relative, resolve } from "node:path"
import { bundle, bundleDir, type Bundles, distDir } from "./build.js"
import { type ContenderName, type IdentifyJob, syncModes, takesPart, type WalkJob } from "./jobs.js"
import { table } from "./markdown.js"
import type { Plan } from "./options.js"
import { mustRun, runJob, startMock, startServer } from "./processes.js"
import { num } from "./stats.js"
import { isSync } from "./syncRounds.js"

/** The parts of a V8 `.cpuprofile` read here. */
interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number
    readonly callFrame: {
      readonly functionName: string
      readonly url: string
      readonly lineNumber: number
      readonly columnNumber: number
    }
  }>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

/** Where a frame of one of the bundles came from, through the source maps the build writes beside them. */
const bundleSources = (): ((file: string, line: number, column: number) => string) => {
  const maps = new Map<string, SourceMap>()
  const root = resolve(bundleDir, "../../..")
  return (file, line, column) => {
    let map = maps.get(file)
    if (map === undefined) {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8")) as SourceMapPayload)
      maps.set(file, map)
    }
    const entry = map.findEntry(line, column)
    if (!("originalSource" in entry)) return `${relative(root, file)}:${line + 1}`
    return `${relative(root, resolve(dirname(file), entry.originalSource))}:${entry.originalLine + 1}`
  }
}

/**
 * Where a frame lives, as `file:line`: a source file of this repository for the bundled code, a path from the package
 * name on for node_modules, or "" for V8's own entries ("(garbage collector)", natives).
 */
const locate = (
  frame: CpuProfile["nodes"][number]["callFrame"],
  sourceOf: (file: string, line: number, column: number) => string
): string => {
  if (frame.url === "") return ""
  const path = frame.url.replace(/^file:\/\//, "")
  if (path.startsWith(bundleDir)) return sourceOf(path, frame.lineNumber, frame.columnNumber)
  const inModules = path.lastIndexOf("/node_modules/")
  const short = inModules < 0 ? path : path.slice(inModules + "/node_modules/".length).replace("/dist/esm/", "/")
  return `${short}:${frame.lineNumber + 1}`
}

/** The file part of a `file:line` location. */
const fileOf = (location: string): string => location.replace(/:\d+$/, "")

/** Self time (ms) per key over a profile; `key` sees each sampled node. */
const selfTime = (profile: CpuProfile, key: (node: CpuProfile["nodes"][number]) => string): Map<string, number> => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const totals = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)
    // Each delta is the time since the previous sample: it belongs to the frame sampled at its end.
    const ms = (profile.timeDeltas[i] ?? 0) / 1000
    if (node !== undefined) totals.set(key(node), (totals.get(key(node)) ?? 0) + ms)
  })
  return totals
}

const summarize = (
  title: string,
  file: string,
  top: number,
  sourceOf: (file: string, line: number, column: number) => string
): string => {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile
  const location = (node: CpuProfile["nodes"][number]) => locate(node.callFrame, sourceOf)
  const byFunction = selfTime(profile, (node) => {
    const name = node.callFrame.functionName || "(anonymous)"
    const place = location(node)
    return place === "" ? name : `${name} ${place}`
  })
  const where = (node: CpuProfile["nodes"][number]) => fileOf(location(node)) || node.callFrame.functionName
  const byModule = selfTime(profile, where)
  const idle = byModule.get("(idle)") ?? 0
  const busy = [...byModule.values()].reduce((a, b) => a + b, 0) - idle
  const rows = (totals: Map<string, number>, n: number) =>
    [...totals]
      .filter(([name]) => name !== "(idle)")
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => [`\`${name}\``, num(ms, 1), `${num((ms / busy) * 100, 1)} %`])
  const columns = (first: string) => [
    { header: first },
    { header: "self ms", right: true },
    { header: "% of busy", right: true }
  ]
  return [
    `### ${title}`,
    "",
    `Busy ${num(busy)} ms, idle ${num(idle)} ms (waiting for the server). Profile: \`${file}\``,
    "",
    "By module (the file a function is defined in):",
    "",
    table(columns("module"), rows(byModule, 15)),
    "",
    `Top ${top} functions by self time:`,
    "",
    table(columns("function"), rows(byFunction, top)),
    ""
  ].join("\n")
}

/** The profiled passes of one contender: W1, then W3 in each planned mode, as far as it takes part in them. */
const jobsFor = (plan: Plan, contender: ContenderName, baseUrl: string, dir: string) => {
  const walk: WalkJob = {
    workload: "w1",
    contender,
    baseUrl,
    ...plan.w1,
    profileTo: `${dir}${contender}-w1.cpuprofile`
  }
  const calls = (takesPart("w3", contender) ? plan.w3.concurrencies : []).map(
    (concurrency): IdentifyJob => ({
      workload: "w3",
      contender,
      baseUrl,
      calls: plan.w3.calls,
      warmupCalls: plan.w3.warmupCalls,
      concurrency,
      profileTo: `${dir}${contender}-w3-c${concurrency}.cpuprofile`
    })
  )
  return [
    ...(takesPart("w1", contender)
      ? [{ title: `W1 ${contender}: walk ${num(plan.w1.items)} contacts`, job: walk }]
      : []),
    ...calls.map((job) => ({
      title: `W3 ${contender}: ${num(job.calls)} GET /me, ${job.concurrency === 1 ? "sequential" : `concurrency ${job.concurrency}`}`,
      job
    }))
  ]
}

/**
 * S2's two modes, each profiled in a fresh child over a store of its own (after the child's warm-up run), against a
 * mock warmed by an unmeasured run.
 */
const profileSync = async (
  bundles: Bundles,
  plan: Plan,
  dir: string,
  summary: (title: string, file: string) => string
): Promise<Array<string>> => {
  const stores = mkdtempSync(join(tmpdir(), "intercom-bench-profile-"))
  const mock = await startMock(bundles.mock, { contacts: plan.s2.contacts, limit: 1_000_000, windowMillis: 10_000 })
  try {
    const baseUrl = mock.baseUrl
    await mustRun(
      bundles.child,
      { workload: "s2", mode: "inline", baseUrl, filename: join(stores, "warm.sqlite") },
      isSync
    )
    const sections: Array<string> = []
    for (const mode of syncModes) {
      const title = `S2 ${mode}: a first sync of ${num(plan.s2.contacts)} contacts`
      const profileTo = `${dir}s2-${mode}.cpuprofile`
      process.stderr.write(`profiling ${title}\n`)
      const job = {
        workload: "s2",
        mode,
        baseUrl,
        filename: join(stores, `${mode}.sqlite`),
        warmupFilename: join(stores, `${mode}-warmup.sqlite`),
        profileTo
      } as const
      await mustRun(bundles.child, job, isSync)
      sections.push(summary(title, profileTo))
    }
    return sections
  } finally {
    await mock.stop()
    rmSync(stores, { recursive: true, force: true })
  }
}

/**
 * Profiles each planned contender (the SDK alone unless `--contenders` says otherwise) in W1 and W3, and S2's two
 * modes when S2 is planned; `--only s2` profiles S2 alone. Prints the summaries.
 */
export const profile = async (plan: Plan, top: number): Promise<void> => {
  const bundles = await bundle()
  const dir = `${distDir}profiles/`
  mkdirSync(dir, { recursive: true })
  const sourceOf = bundleSources()
  const sync = plan.workloads.includes("s2")
    ? await profileSync(bundles, plan, dir, (title, file) => summarize(title, file, top, sourceOf))
    : []
  if (!plan.workloads.includes("w1") && !plan.workloads.includes("w3")) {
    process.stdout.write(`## Where the CPU goes\n\n${sync.join("\n")}`)
    return
  }
  const server = await startServer(bundles.server, { contacts: plan.w1.items, realTraffic: plan.realTraffic })
  const sections: Array<string> = []
  try {
    for (const contender of plan.contenders) {
      for (const { title, job } of jobsFor(plan, contender, server.baseUrl, dir)) {
        process.stderr.write(`profiling ${title}\n`)
        const reply = await runJob(bundles.child, job)
        if (!reply.ok) throw new Error(`${title} failed:\n${reply.error}`)
        sections.push(summarize(title, job.profileTo!, top, sourceOf))
      }
    }
  } finally {
    await server.stop()
  }
  process.stdout.write(`## Where the CPU goes\n\n${[...sections, ...sync].join("\n")}`)
}
