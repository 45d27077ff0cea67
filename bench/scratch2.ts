import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { IntercomConfig } from "@intercom-effect/http"
import { Intercom } from "@intercom-effect/services"
import { Copy, Engine, Plan, Progress, Run, Sync } from "@intercom-effect/sync"
import { Effect, Layer, ManagedRuntime } from "effect"
import { bundle } from "./src/build.js"
import { startMock } from "./src/processes.js"
import { TOKEN } from "./src/contenders/types.js"

const b = await bundle()
const mock = await startMock(b.mock, { contacts: Number(process.argv[2] ?? 20000), limit: 1e6, windowMillis: 10000 })
const dir = mkdtempSync(join(tmpdir(), "scr-"))
const options: Sync.RunOptions = { ...Plan.defaults, resources: ["contacts"], onPending: "fail" }
const services = Intercom.layer.pipe(Layer.provide(IntercomConfig.layer({ accessToken: TOKEN, baseUrl: mock.baseUrl })), Layer.provide(NodeHttpClient.layerUndici))
let k = 0
const once = async (mode: string, per: number) => {
  const filename = join(dir, `${k++}.sqlite`)
  const base = Layer.mergeAll(Copy.layer, Progress.silent).pipe(Layer.provideMerge(services), Layer.provideMerge(SqliteClient.layer({ filename })), Layer.provideMerge(Layer.succeed(Run.RunConfig, { ...Run.defaultConfig, requestsPerStep: per })))
  const layer = mode === "inline" ? base : Run.layer.pipe(Layer.provideMerge(Engine.layerSingle), Layer.provideMerge(base))
  const rt = ManagedRuntime.make(layer as Layer.Layer<any>)
  await rt.runPromise(Effect.void)
  const eff = (mode === "inline" ? Sync.runInline(options) : Sync.run(options)) as Effect.Effect<any, any, any>
  globalThis.gc?.()
  const c = process.cpuUsage(); const t = performance.now()
  await rt.runPromise(eff)
  const w = performance.now() - t; const cpu = process.cpuUsage(c)
  await rt.dispose()
  rmSync(filename, { force: true }); rmSync(filename + "-wal", { force: true }); rmSync(filename + "-shm", { force: true })
  return { w, cpu: (cpu.user + cpu.system) / 1000 }
}
const modes: Array<[string, number]> = process.argv[3] === "prof" ? [["durable", 1]] : [["inline", 10], ["durable", 1], ["durable", 10], ["durable", 100000]]
await once("inline", 10); await once("durable", 10)
const { Session } = await import("node:inspector/promises")
const { writeFileSync } = await import("node:fs")
if (process.argv[3] === "prof") {
  const s = new Session(); s.connect(); await s.post("Profiler.enable"); await s.post("Profiler.setSamplingInterval", { interval: 100 }); await s.post("Profiler.start")
  await once("durable", 1)
  const { profile } = await s.post("Profiler.stop"); writeFileSync("/tmp/d1.cpuprofile", JSON.stringify(profile))
  s.post("Profiler.start"); await once("durable", 100000); const p2 = await s.post("Profiler.stop"); writeFileSync("/tmp/dall.cpuprofile", JSON.stringify(p2.profile))
  await mock.stop(); process.exit(0)
}
const res: Record<string, Array<number>> = {}
for (let r = 0; r < 4; r++) for (const [m, p] of modes) { const x = await once(m, p); (res[`${m}-${p}`] ??= []).push(x.cpu); console.log(m, p, Math.round(x.w), Math.round(x.cpu)) }
for (const [k, v] of Object.entries(res)) console.log(k, v.sort((a, b) => a - b).map(Math.round).join(" "))
await mock.stop()
