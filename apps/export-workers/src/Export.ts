/**
 * One worker's export: it walks the contact list page by page through the `Contacts` service, once, or again and
 * again from the start until it has fetched the pages it was asked for (a soak, as the tests run it).
 */
import { Contacts } from "@intercom-effect/services"
import { Effect, Stream } from "effect"

/** What to export. */
export interface Options {
  /** Contacts per page (Intercom allows up to 150). */
  readonly perPage: number
  /** Pages to fetch in all, walking the list again from the start as often as needed; once through when unset. */
  readonly pages?: number | undefined
}

/** What a worker fetched. */
export interface Report {
  readonly pages: number
  readonly contacts: number
}

/** Walks the list once, at most `maxPages` pages, counting what it fetched. */
const walk = (contacts: Contacts.Service, perPage: number, maxPages: number | undefined) =>
  Stream.runFold(
    contacts.list({ per_page: perPage, ...(maxPages === undefined ? {} : { maxPages }) }).pages,
    { pages: 0, contacts: 0 },
    (report, page): Report => ({ pages: report.pages + 1, contacts: report.contacts + page.items.length })
  )

/**
 * Exports contacts as `options` say and reports how many pages and contacts it fetched. The pace is the client's:
 * its gate, and the shared budget when the client has one.
 */
export const exportContacts = Effect.fn("ExportWorkers.exportContacts")(function* (options: Options) {
  const contacts = yield* Contacts.Contacts
  if (options.pages === undefined) return yield* walk(contacts, options.perPage, undefined)
  let report: Report = { pages: 0, contacts: 0 }
  while (report.pages < options.pages) {
    const round = yield* walk(contacts, options.perPage, options.pages - report.pages)
    // An empty list would never add a page.
    if (round.pages === 0) break
    report = { pages: report.pages + round.pages, contacts: report.contacts + round.contacts }
  }
  return report
})
