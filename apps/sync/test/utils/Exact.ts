/**
 * Reads a stored copy back and compares it with the mock's snapshot, field by field: every item of every resource,
 * every part of every conversation. Both sides pass through the SDK's schemas (the copy holds items as the SDK decoded
 * them), and are compared as canonical JSON.
 */
import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Company, Contact, Conversation, Ticket } from "@intercom-effect/schemas"
import { Effect, type Layer, Schema } from "effect"
import type { Snapshot, Wire } from "./LivingMock.js"

/** JSON with keys in order, so equal values print equal. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v
  )

/** What a copy holds, by resource and id (JSON text as stored). */
export interface Stored {
  readonly contacts: ReadonlyMap<string, string>
  readonly companies: ReadonlyMap<string, string>
  readonly conversations: ReadonlyMap<string, string>
  readonly tickets: ReadonlyMap<string, string>
  /** Parts by conversation id, then by part id. */
  readonly parts: ReadonlyMap<string, ReadonlyMap<string, string>>
  /** Rows in all, to show no item is held twice. */
  readonly rows: number
}

/** Reads the SQLite file of a copy. */
export const read = (filename: string): Effect.Effect<Stored> =>
  readFrom(SqliteClient.layer({ filename, readonly: true }))

/** Reads a copy from any database (from a schema of it, for one of many workspaces). */
export const readFrom = <E>(database: Layer.Layer<SqlClient.SqlClient, E>, schema?: string): Effect.Effect<Stored> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const t = (name: string) => sql(schema === undefined ? name : `${schema}.${name}`)
    const table = (name: string) =>
      Effect.map(
        sql<{ id: string; json: string }>`SELECT id, json FROM ${t(name)}`,
        (rows) => new Map(rows.map((row) => [row.id, row.json] as const))
      )
    const partRows = yield* sql<{
      id: string
      conversation_id: string
      json: string
    }>`SELECT id, conversation_id, json FROM ${t("conversation_parts")}`
    const parts = new Map<string, Map<string, string>>()
    for (const row of partRows) {
      const of = parts.get(row.conversation_id) ?? new Map<string, string>()
      of.set(row.id, row.json)
      parts.set(row.conversation_id, of)
    }
    const contacts = yield* table("contacts")
    const companies = yield* table("companies")
    const conversations = yield* table("conversations")
    const tickets = yield* table("tickets")
    const rows = contacts.size + companies.size + conversations.size + tickets.size + partRows.length
    return { contacts, companies, conversations, tickets, parts, rows }
  }).pipe(Effect.provide(database), Effect.orDie)

/** One way a copy differs from the workspace. */
export interface Difference {
  readonly resource: string
  readonly id: string
  readonly problem: "missing" | "extra" | "different"
  readonly expected?: string
  readonly actual?: string
}

const decoders = {
  contacts: Schema.decodeUnknownSync(Contact),
  companies: Schema.decodeUnknownSync(Company),
  tickets: Schema.decodeUnknownSync(Ticket)
}
const decodeConversation = Schema.decodeUnknownSync(Conversation)

/** The conversation as the copy keeps it (parts emptied out) and its parts, from the snapshot's whole conversation. */
const splitExpected = (wire: Wire) => {
  const conversation = decodeConversation(wire)
  const list = conversation.conversation_parts
  const parts = new Map((list?.conversation_parts ?? []).map((part) => [part.id, canonical(part)] as const))
  const { conversation_parts: _, ...rest } = conversation
  const kept =
    list === null || list === undefined ? rest : { ...rest, conversation_parts: { ...list, conversation_parts: [] } }
  return { conversation: canonical(kept), parts }
}

const compareMaps = (
  resource: string,
  expected: ReadonlyMap<string, string>,
  actual: ReadonlyMap<string, string>,
  extras: boolean,
  out: Array<Difference>
) => {
  for (const [id, json] of expected) {
    const got = actual.get(id)
    if (got === undefined) out.push({ resource, id, problem: "missing" })
    else if (canonical(JSON.parse(got)) !== json) {
      out.push({ resource, id, problem: "different", expected: json, actual: canonical(JSON.parse(got)) })
    }
  }
  if (extras) for (const id of actual.keys()) if (!expected.has(id)) out.push({ resource, id, problem: "extra" })
}

/** Which items to check. */
export interface Scope {
  /** Keeps the items of the snapshot the copy must hold exactly; all of them by default. */
  readonly only?: (resource: string, item: Wire) => boolean
  /** Whether items the copy holds beyond the snapshot's are differences (not when checking part of it). */
  readonly extras?: boolean
}

/** Every difference between a copy and a snapshot of the workspace (none: the copy is exact). */
export const differences = (snapshot: Snapshot, stored: Stored, scope: Scope = {}): Array<Difference> => {
  const only = scope.only ?? (() => true)
  const extras = scope.extras ?? true
  const out: Array<Difference> = []
  for (const resource of ["contacts", "companies", "tickets"] as const) {
    const expected = new Map(
      snapshot[resource]
        .filter((item) => only(resource, item))
        .map((item) => [item.id, canonical(decoders[resource](item))] as const)
    )
    compareMaps(resource, expected, stored[resource], extras, out)
  }
  const conversations = new Map<string, string>()
  for (const wire of snapshot.conversations) {
    if (!only("conversations", wire)) continue
    const { conversation, parts } = splitExpected(wire)
    conversations.set(wire.id, conversation)
    compareMaps(`conversation ${wire.id}: part`, parts, stored.parts.get(wire.id) ?? new Map(), true, out)
  }
  compareMaps("conversations", conversations, stored.conversations, extras, out)
  return out
}

/** A short account of differences for an assertion message. */
export const describe = (found: ReadonlyArray<Difference>): string =>
  `${found.length} difference(s): ` +
  found
    .slice(0, 5)
    .map((d) =>
      d.problem === "different"
        ? `${d.resource} ${d.id} differs (updated_at expected ${JSON.parse(d.expected ?? "{}").updated_at}, stored ${JSON.parse(d.actual ?? "{}").updated_at})\n  expected ${d.expected?.slice(0, 600)}\n  actual   ${d.actual?.slice(0, 600)}`
        : `${d.resource} ${d.id} ${d.problem}`
    )
    .join("; ")
