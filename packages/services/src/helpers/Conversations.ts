/**
 * The hand-written methods of the Conversations service: a conversation with its parts, and an honest account of
 * the parts it lacks.
 *
 * What 2.10 allows: GET /conversations/{id} is the only call that returns parts, and it returns the
 * {@link partsLimit} most recent ones with `total_count`, the number the conversation has. No operation pages to
 * older parts (lists and searches return none at all), so for a conversation longer than that the oldest parts
 * cannot be read through the REST API; the opening message is never a part and always comes as `source`. Keeping a
 * long conversation whole means recording its parts as they happen (the conversation webhooks carry them, see
 * @intercom-effect/webhooks) or asking Intercom for an export. `getWithAllParts` says which case a conversation is
 * in, as a value (`coverage`) or, with `{ onMissing: "fail" }`, as an error.
 *
 * @since 0.2.0
 */
import type { IntercomError } from "@intercom-effect/http"
import type { Conversation, ConversationPart } from "@intercom-effect/schemas"
import { Data, Effect, Schema } from "effect"
import type { GetQuery, Service } from "../Conversations.js"
import type { Parts } from "../internal/helpers.js"

/**
 * The most parts GET /conversations/{id} returns: the most recent ones.
 *
 * @since 0.2.0
 * @category constants
 */
export const partsLimit = 500

/**
 * Whether the parts at hand are all the conversation has.
 *
 * @since 0.2.0
 * @category models
 */
export type Coverage = Data.TaggedEnum<{
  /** Every part the conversation has. */
  Complete: {}
  /**
   * The oldest parts are missing and cannot be had through 2.10: `missing` of them (`null` when Intercom sent no
   * count), all older than the first part at hand.
   */
  OlderPartsMissing: { readonly missing: number | null }
}>

/**
 * Constructors and matchers of {@link Coverage}.
 *
 * @since 0.2.0
 * @category constructors
 */
export const Coverage = Data.taggedEnum<Coverage>()

/**
 * A conversation with its parts.
 *
 * @since 0.2.0
 * @category models
 */
export interface WithAllParts {
  /** The conversation as GET returned it; its opening message is `conversation.source`, never a part. */
  readonly conversation: Conversation
  /** The parts at hand, in Intercom's order (oldest first). */
  readonly parts: ReadonlyArray<ConversationPart>
  /** How many parts the conversation has, by Intercom's count (`null` when it sent none). */
  readonly totalCount: number | null
  readonly coverage: Coverage
}

/**
 * Options of `getWithAllParts`.
 *
 * @since 0.2.0
 * @category models
 */
export interface GetWithAllPartsOptions extends GetQuery {
  /** `report` (the default) returns what there is with its coverage; `fail` fails with `OlderPartsMissing`. */
  readonly onMissing?: "report" | "fail" | undefined
}

/**
 * A conversation has more parts than GET returns, and `getWithAllParts` was asked to fail rather than return part
 * of them.
 *
 * @since 0.2.0
 * @category errors
 */
export class OlderPartsMissing extends Schema.TaggedError<OlderPartsMissing>(
  "@intercom-effect/services/Conversations/OlderPartsMissing"
)("OlderPartsMissing", {
  conversationId: Schema.String,
  returned: Schema.Number,
  /** `null` when Intercom sent no count. */
  missing: Schema.NullOr(Schema.Number)
}) {
  override get message(): string {
    const missing = this.missing === null ? "an unknown number of" : String(this.missing)
    return `conversation ${this.conversationId}: ${missing} older parts are beyond the ${this.returned} the API returns, and 2.10 has no way to page to them`
  }
}

/**
 * The methods written by hand, over the operations of the Conversations service.
 *
 * @since 0.2.0
 * @category models
 */
export interface Helpers {
  /**
   * The conversation and every part the API can return, with how many it cannot (see the module's documentation):
   * one GET.
   */
  readonly getWithAllParts: (
    id: string,
    options?: GetWithAllPartsOptions
  ) => Effect.Effect<WithAllParts, IntercomError.IntercomError | OlderPartsMissing>
}

/** The generated operations of the service. */
type Operations = Omit<Service, keyof Helpers>

/** What a conversation's own counts say about the parts at hand. */
const coverageOf = (conversation: Conversation, parts: ReadonlyArray<ConversationPart>) => {
  const totalCount =
    conversation.conversation_parts?.total_count ?? conversation.statistics?.count_conversation_parts ?? null
  const coverage =
    totalCount === null
      ? // Without a count, a full answer may have been cut; a shorter one cannot have been.
        parts.length < partsLimit
        ? Coverage.Complete()
        : Coverage.OlderPartsMissing({ missing: null })
      : totalCount > parts.length
        ? Coverage.OlderPartsMissing({ missing: totalCount - parts.length })
        : Coverage.Complete()
  return { totalCount, coverage }
}

/**
 * Builds the helpers over the generated operations.
 *
 * @internal
 */
export const makeHelpers = ({ operations }: Parts<Operations>): Helpers => ({
  getWithAllParts: Effect.fn("Conversations.getWithAllParts")(function* (id: string, options?: GetWithAllPartsOptions) {
    const { onMissing, ...query } = options ?? {}
    const conversation = yield* operations.get(id, query)
    const parts = conversation.conversation_parts?.conversation_parts ?? []
    const { coverage, totalCount } = coverageOf(conversation, parts)
    if (onMissing === "fail" && coverage._tag === "OlderPartsMissing") {
      return yield* new OlderPartsMissing({ conversationId: id, returned: parts.length, missing: coverage.missing })
    }
    return { conversation, parts, totalCount, coverage }
  })
})
