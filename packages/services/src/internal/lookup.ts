/**
 * What the lookups by a key share (`Contacts.findByExternalId`, `Contacts.findByEmail`,
 * `Companies.findByCompanyId`): the error for a key that more than one record holds, and the check that a key is
 * worth sending at all.
 *
 * @internal
 */
import { IntercomError } from "@intercom-effect/http"
import { Effect, Option, Schema } from "effect"

/**
 * A lookup by a key that should name one record found several. The ids are those of the first page of matches
 * (`total` counts them all); the key's value is left out, as it is often an e-mail address.
 *
 * @since 0.2.0
 * @category errors
 */
export class MultipleMatches extends Schema.TaggedError<MultipleMatches>("@intercom-effect/services/MultipleMatches")(
  "MultipleMatches",
  {
    /** `contact` or `company`. */
    resource: Schema.String,
    /** The field looked up by: `external_id`, `email`, `company_id`. */
    field: Schema.String,
    ids: Schema.Array(Schema.String),
    total: Schema.Number
  }
) {
  override get message(): string {
    const more = this.total > this.ids.length ? ` and ${this.total - this.ids.length} more` : ""
    return `${this.total} ${this.resource}s have this ${this.field}: ${this.ids.join(", ")}${more}`
  }
}

/**
 * The one record of `matches`, none, or a `MultipleMatches` naming them all.
 *
 * @internal
 */
export const atMostOne = <A extends { readonly id: string }>(
  resource: string,
  field: string,
  matches: ReadonlyArray<A>,
  total: number = matches.length
): Effect.Effect<Option.Option<A>, MultipleMatches> =>
  matches.length > 1
    ? Effect.fail(
        new MultipleMatches({ resource, field, ids: matches.map((m) => m.id), total: Math.max(total, matches.length) })
      )
    : Effect.succeed(Option.fromNullable(matches[0]))

/**
 * Fails with `InvalidRequest`, naming the operation it would have called, when a key is empty or only blanks:
 * searching for it would match records without the key (or nothing useful), so it is never sent.
 *
 * @internal
 */
export const checkKey = (
  operation: { readonly method: string; readonly path: string },
  field: string,
  value: string
): Effect.Effect<void, IntercomError.InvalidRequest> =>
  value.trim() === ""
    ? Effect.fail(
        new IntercomError.InvalidRequest({
          method: operation.method,
          path: operation.path,
          issue: `${field} is ${value === "" ? "empty" : "only blanks"}`
        })
      )
    : Effect.void
