/**
 * The store as NDJSON files: `<resource>.ndjson` (one item per line) and `checkpoint.json` (each walk's progress
 * and each file's length at that point). A page appends its lines, syncs them to disk, then replaces the checkpoint
 * (written aside and renamed, so it is whole or old). When the store opens, each file is cut back to the length the
 * checkpoint recorded: lines written after the last checkpoint belong to a page whose progress was never stored, and
 * the resumed walk writes that page again.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Layer, Option, Schema } from "effect"
import { Plan, ProgressJson, type Resource, resources, Store, StoreError } from "./ExportStore.js"

const Checkpoint = Schema.Struct({
  walks: Schema.Record({ key: Schema.String, value: ProgressJson }),
  sizes: Schema.Record({ key: Schema.String, value: Schema.Number }),
  plan: Schema.optional(Plan)
})
type Checkpoint = typeof Checkpoint.Type

const decodeCheckpoint = Schema.decodeUnknownSync(Schema.parseJson(Checkpoint))
const encodeCheckpoint = Schema.encodeSync(Schema.parseJson(Checkpoint))

const attempt = <A>(operation: string, f: () => A): Effect.Effect<A, StoreError> =>
  Effect.try({
    try: f,
    catch: (error) => new StoreError({ operation, detail: error instanceof Error ? error.message : String(error) })
  })

/**
 * The store in directory `dir` (created when missing).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (dir: string) =>
  Effect.gen(function* () {
    const checkpointFile = path.join(dir, "checkpoint.json")
    const fileOf = (resource: Resource) => path.join(dir, `${resource}.ndjson`)
    let checkpoint: Checkpoint = yield* attempt("open", () => {
      fs.mkdirSync(dir, { recursive: true })
      return fs.existsSync(checkpointFile)
        ? decodeCheckpoint(fs.readFileSync(checkpointFile, "utf8"))
        : { walks: {}, sizes: {} }
    })
    yield* attempt("cut back to the checkpoint", () => {
      for (const resource of resources) {
        const file = fileOf(resource)
        const size = checkpoint.sizes[resource] ?? 0
        if (fs.existsSync(file) && fs.statSync(file).size > size) fs.truncateSync(file, size)
      }
    })
    // Written aside and renamed: the checkpoint on disk is always whole, the old one or the new one.
    const replaceCheckpoint = (next: Checkpoint) => {
      const tmp = `${checkpointFile}.tmp`
      fs.writeFileSync(tmp, encodeCheckpoint(next))
      fs.renameSync(tmp, checkpointFile)
      checkpoint = next
    }
    // Partitions of one resource write to one file: one page at a time keeps each page's lines together and the
    // recorded lengths exact.
    const lock = yield* Effect.makeSemaphore(1)
    return Store.of({
      progress: (walk) => Effect.sync(() => Option.fromNullable(checkpoint.walks[walk])),
      write: (walk, resource, items, progress) =>
        lock.withPermits(1)(
          attempt("write page", () => {
            const file = fileOf(resource)
            const lines = items.map((item) => `${JSON.stringify(item)}\n`).join("")
            const fd = fs.openSync(file, "a")
            try {
              if (lines.length > 0) fs.writeSync(fd, lines)
              fs.fsyncSync(fd)
            } finally {
              fs.closeSync(fd)
            }
            replaceCheckpoint({
              ...checkpoint,
              walks: { ...checkpoint.walks, [walk]: progress },
              sizes: { ...checkpoint.sizes, [resource]: fs.statSync(file).size }
            })
          })
        ),
      plan: Effect.sync(() => Option.fromNullable(checkpoint.plan)),
      savePlan: (plan) => lock.withPermits(1)(attempt("write plan", () => replaceCheckpoint({ ...checkpoint, plan }))),
      count: (resource) =>
        attempt("count", () => {
          const file = fileOf(resource)
          if (!fs.existsSync(file)) return 0
          const text = fs.readFileSync(file, "utf8")
          let lines = 0
          for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines++
          return lines
        })
    })
  })

/**
 * The store in directory `dir`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (dir: string): Layer.Layer<Store, StoreError> => Layer.effect(Store, make(dir))
