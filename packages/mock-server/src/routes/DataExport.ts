/**
 * Message data export: start a job (one open job per workspace: a second start is a 429 that waiting does not lift),
 * follow its status (pending, in progress, completed, or canceled), cancel it, and download the result as a gzipped
 * CSV streamed as `application/octet-stream`. The CSV has one receipt per contact created in the job's range.
 *
 * @since 0.1.0
 */
import { HttpRouter, HttpServerResponse } from "@effect/platform"
import * as NodeStream from "@effect/platform-node/NodeStream"
import {
  CreateDataExportsRequest,
  DataExport,
  DataExportCsv,
  type DataExportCsv as DataExportCsvType
} from "@intercom-effect/schemas"
import { Clock, Effect, Schema } from "effect"
import { Readable } from "node:stream"
import { createGzip } from "node:zlib"
import * as Paging from "../internal/paging.js"
import { byId, create, param, store } from "../internal/route.js"
import * as Reply from "../Reply.js"
import type { ContactRecord, ExportJob, Store } from "../State.js"

/**
 * The columns of the CSV, in order: the fields of the `DataExportCsv` schema.
 *
 * @since 0.1.0
 * @category constants
 */
export const columns: ReadonlyArray<string> = Object.keys(DataExportCsv.fields)

const find = (s: Store, id: string): Effect.Effect<ExportJob, Reply.ApiError> => {
  const job = s.exports.get(id)
  return job === undefined ? Reply.notFound("not_found", "Resource Not Found") : Effect.succeed(job)
}

const inRange = (job: ExportJob) => (r: ContactRecord) =>
  r.contact.created_at >= job.createdAtAfter && r.contact.created_at <= job.createdAtBefore

const status = (s: Store, job: ExportJob) =>
  Effect.gen(function* () {
    const at = yield* Clock.currentTimeMillis
    const state = s.exportStatus(job, at)
    const origin = yield* Paging.origin
    const done = state === "completed"
    // An export with nothing in its range finishes as no_data, and has nothing to download.
    const empty = done && s.contacts.page(undefined, 1, inRange(job)).items.length === 0
    return yield* Reply.json(DataExport, {
      job_identifier: job.id,
      status: empty ? "no_data" : state,
      download_url: done && !empty ? `${origin}/download/content/data/${job.id}` : "",
      download_expires_at: done && !empty ? String(Math.floor(at / 1000) + 2 * 86_400) : ""
    })
  })

const start = Effect.gen(function* () {
  const s = yield* store
  const body = yield* Reply.body(CreateDataExportsRequest)
  if (body.created_at_after > body.created_at_before) {
    return yield* Reply.unprocessable("created_at_after must not be after created_at_before", "created_at_after")
  }
  const at = yield* Clock.currentTimeMillis
  for (const job of s.exports.values()) {
    const state = s.exportStatus(job, at)
    if (state === "pending" || state === "in_progress") {
      return yield* Reply.fail(429, "rate_limit_exceeded", "Exceeded rate limit of 1 pending message data export jobs")
    }
  }
  const job: ExportJob = {
    id: `job${s.ids.numeric("export").padStart(6, "0")}${s.ids.salt}`,
    createdAt: at,
    createdAtAfter: body.created_at_after,
    createdAtBefore: body.created_at_before,
    canceledAt: null,
    completedAt: null
  }
  s.exports.set(job.id, job)
  return yield* status(s, job)
})

const cancel = Effect.gen(function* () {
  const s = yield* store
  const job = yield* find(s, yield* param("id"))
  const at = yield* Clock.currentTimeMillis
  // A finished job stays finished; anything still running stops.
  if (s.exportStatus(job, at) !== "completed") job.canceledAt ??= at
  return yield* status(s, job)
})

const csvField = (value: unknown): string => {
  if (value === null || value === undefined) return ""
  const text = String(value)
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

const encodeRow = Schema.encodeSync(DataExportCsv)

function* csv(s: Store, contacts: ReadonlyArray<ContactRecord>): Generator<string> {
  yield `${columns.join(",")}\n`
  for (const r of contacts) {
    const receivedAt = r.contact.created_at + 60
    const company = [...r.companies].map((id) => s.companies.get(id)?.company.company_id).find((id) => id != null)
    const row: DataExportCsvType = {
      user_id: r.id,
      user_external_id: r.contact.external_id ?? null,
      company_id: company ?? null,
      email: r.contact.email ?? null,
      name: r.contact.name ?? null,
      ruleset_id: "1",
      content_id: "101",
      content_type: "email",
      content_title: "Welcome to the mock workspace",
      ruleset_version_id: "1",
      receipt_id: `r${r.seq}`,
      received_at: receivedAt,
      series_id: null,
      series_title: null,
      node_id: null,
      first_reply: null,
      first_completion: null,
      first_series_completion: null,
      first_series_disengagement: null,
      first_series_exit: null,
      first_goal_success: null,
      first_open: r.seq % 2 === 0 ? receivedAt + 300 : null,
      first_click: r.seq % 6 === 0 ? receivedAt + 360 : null,
      first_dismisall: null,
      first_unsubscribe: null,
      first_hard_bounce: null
    }
    const encoded = encodeRow(row) as Record<string, unknown>
    yield `${columns.map((column) => csvField(encoded[column])).join(",")}\n`
  }
}

const download = Effect.gen(function* () {
  const s = yield* store
  const job = yield* find(s, yield* param("id"))
  const at = yield* Clock.currentTimeMillis
  const contacts = s.contacts.values(inRange(job))
  if (s.exportStatus(job, at) !== "completed" || contacts.length === 0) {
    return yield* Reply.notFound("not_found", "Export is not ready for download")
  }
  const body = NodeStream.fromReadable<Error, Uint8Array>(
    () => Readable.from(csv(s, contacts)).pipe(createGzip()),
    (cause) => (cause instanceof Error ? cause : new Error(String(cause)))
  )
  return HttpServerResponse.stream(body, {
    contentType: "application/octet-stream",
    headers: { "content-disposition": `attachment; filename="${job.id}.csv.gz"` }
  })
})

/**
 * The data export routes.
 *
 * @since 0.1.0
 * @category routers
 */
export const router = HttpRouter.empty.pipe(
  HttpRouter.post("/export/content/data", create(start)),
  HttpRouter.get("/export/content/data/:id", byId(find, status)),
  HttpRouter.post("/export/cancel/:id", cancel),
  HttpRouter.get("/download/content/data/:id", download)
)
