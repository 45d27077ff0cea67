/**
 * Request bodies encode strictly: every generated body round-trips, and bad input is a ParseError that names
 * the offending path before anything would be sent.
 */
import { assert, describe, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
import {
  CreateContactRequest,
  CreateConversationRequest,
  CreateMessageRequest,
  CreateNoteRequest,
  CreateTagRequest,
  ManageConversationRequest,
  SearchRequest,
  UpdateTicketRequest,
  operations,
  schemas
} from "../src/index.js"

type AnySchema = Schema.Schema<unknown, unknown>

/** Intercom contact ids are 24 hex characters; create_conversation_request checks the length. */
const contactId = "0123456789abcdef01234567"

/** The distinct request body schemas of the operation table. */
const requestBodies = [
  ...new Set(Object.values(operations).flatMap((op) => (op.requestBody === null ? [] : [op.requestBody])))
].sort()

/** Encodes and returns the issues as `path: message` lines (ArrayFormatter keeps each issue's path). */
const encodeIssues = (schema: AnySchema, input: unknown): Array<{ path: string; message: string }> => {
  const result = Schema.encodeUnknownEither(schema)(input)
  if (Either.isRight(result)) return []
  return ParseResult.ArrayFormatter.formatErrorSync(result.left).map((issue) => ({
    path: issue.path.map((p) => `[${JSON.stringify(p)}]`).join(""),
    message: issue.message
  }))
}

describe("request bodies", () => {
  it("the operation table has one per operation that takes a body", () => {
    const withBody = Object.values(operations).filter((op) => op.requestBody !== null)
    assert.strictEqual(withBody.length, 47)
    assert.strictEqual(requestBodies.length, 44) // the three /search endpoints share search_request, etc.
  })

  describe("round-trip: encode(decode(x)) == x", () => {
    for (const name of requestBodies) {
      const schema = schemas[name] as unknown as AnySchema
      it.prop(
        name,
        [schema],
        ([value]) => {
          const encoded = Schema.encodeSync(schema)(value)
          const again = Schema.encodeSync(schema)(Schema.decodeUnknownSync(schema)(encoded))
          assert.deepStrictEqual(again, encoded)
        },
        { fastCheck: { numRuns: 40 } }
      )
    }
  })

  describe("invalid bodies are ParseErrors naming the path", () => {
    it("wrong type", () => {
      assert.deepStrictEqual(encodeIssues(CreateNoteRequest as AnySchema, { body: 42 }), [
        { path: '["body"]', message: "Expected string, actual 42" }
      ])
    })

    it("wrong type, nested", () => {
      const issues = encodeIssues(CreateConversationRequest as AnySchema, { from: { type: "user", id: 7 }, body: "hi" })
      assert.deepStrictEqual(issues, [{ path: '["from"]["id"]', message: "Expected string, actual 7" }])
    })

    it("missing required field", () => {
      const issues = encodeIssues(CreateConversationRequest as AnySchema, { from: { type: "user", id: contactId } })
      assert.deepStrictEqual(issues, [{ path: '["body"]', message: "is missing" }])
    })

    it("an open map key that an object cannot hold", () => {
      // JSON.parse makes "__proto__" an own property; copied into a plain object it would silently disappear.
      const issues = encodeIssues(UpdateTicketRequest as AnySchema, {
        ticket_attributes: JSON.parse('{"__proto__": "x", "_default_title_": "ok"}')
      })
      // Strict request parsing reports a key its key schema refuses as an unexpected key, at its path.
      assert.deepStrictEqual(
        issues.map((i) => i.path),
        ['["ticket_attributes"]["__proto__"]']
      )
      assert.match(issues[0]?.message ?? "", /unexpected/)
    })

    it("value outside a request enum", () => {
      const issues = encodeIssues(CreateConversationRequest as AnySchema, {
        from: { type: "bot", id: contactId },
        body: "x"
      })
      assert.isAbove(issues.length, 0)
      assert.deepStrictEqual([...new Set(issues.map((i) => i.path))], ['["from"]["type"]'])
    })

    it("limits the spec declares (attachment count, id length)", () => {
      const urls = Array.from({ length: 11 }, (_, i) => `https://example.com/${i}.png`)
      const tooMany = encodeIssues(CreateConversationRequest as AnySchema, {
        from: { type: "user", id: contactId },
        body: "x",
        attachment_urls: urls
      })
      assert.deepStrictEqual(
        tooMany.map((i) => i.path),
        ['["attachment_urls"]']
      )
      const shortId = encodeIssues(CreateConversationRequest as AnySchema, {
        from: { type: "user", id: "abc" },
        body: "x"
      })
      assert.deepStrictEqual(
        shortId.map((i) => i.path),
        ['["from"]["id"]']
      )
    })

    it("unknown property", () => {
      assert.deepStrictEqual(encodeIssues(CreateNoteRequest as AnySchema, { body: "x", bdy: "typo" }), [
        { path: '["bdy"]', message: 'is unexpected, expected: "body" | "contact_id" | "admin_id"' }
      ])
    })

    it("the error message names the field too", () => {
      const result = Schema.encodeUnknownEither(CreateNoteRequest)({ body: 42 })
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.isTrue(ParseResult.isParseError(result.left))
        assert.include(result.left.message, '["body"]')
      }
    })
  })

  describe("unions", () => {
    it("tagged by a field: manageConversation picks the member by message_type", () => {
      const snooze = { message_type: "snoozed", admin_id: "1", snoozed_until: 1700000000 } as const
      assert.deepStrictEqual(Schema.encodeSync(ManageConversationRequest)(snooze), snooze)
      const issues = encodeIssues(ManageConversationRequest as AnySchema, { message_type: "snoozed", admin_id: "1" })
      assert.isTrue(issues.some((i) => i.path === '["snoozed_until"]' && i.message === "is missing"))
    })

    it("tagged by a field: createMessage uses `inapp`, not the file's `in_app`", () => {
      const inapp = { message_type: "inapp", body: "hi", from: { type: "admin", id: 1 }, to: { type: "user", id: "u" } }
      assert.isTrue(Either.isRight(Schema.encodeUnknownEither(CreateMessageRequest)(inapp)))
      assert.isTrue(
        Either.isLeft(Schema.encodeUnknownEither(CreateMessageRequest)({ ...inapp, message_type: "in_app" }))
      )
    })

    it("tagged by which key is present: createTag variants are told apart structurally", () => {
      const tagCompanies = { name: "vip", companies: [{ company_id: "c1" }] }
      assert.deepStrictEqual(Schema.encodeSync(CreateTagRequest)(tagCompanies), tagCompanies)
      const tagUsers = { name: "vip", users: [{ id: "u1" }] }
      assert.deepStrictEqual(Schema.encodeSync(CreateTagRequest)(tagUsers), tagUsers)
    })

    it("createContact needs one of email, external_id or role", () => {
      assert.isTrue(Either.isRight(Schema.encodeUnknownEither(CreateContactRequest)({ email: "a@b.c" })))
      assert.isTrue(Either.isLeft(Schema.encodeUnknownEither(CreateContactRequest)({ name: "no identifier" })))
    })

    it("search filters nest recursively", () => {
      const body = {
        query: {
          operator: "AND",
          value: [
            { field: "role", operator: "=", value: "user" },
            { operator: "OR", value: [{ field: "email", operator: "~", value: "example.com" }] }
          ]
        },
        pagination: { per_page: 50 }
      } as const
      assert.deepStrictEqual(Schema.encodeSync(SearchRequest)(body), body)
      const issues = encodeIssues(SearchRequest as AnySchema, {
        query: { operator: "AND", value: [{ operator: "OR", value: [{ field: "x", operator: "LIKE" }] }] }
      })
      assert.isTrue(issues.length > 0)
    })
  })
})
