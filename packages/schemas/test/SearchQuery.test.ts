import { assert, describe, expectTypeOf, it } from "@effect/vitest"
import { Arbitrary, Effect, Either, FastCheck as fc, ParseResult, Schema } from "effect"
import * as SearchQuery from "../src/SearchQuery.js"

const { field, and, or } = SearchQuery

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((key) => (typeof key === "number" ? `[${key}]` : `[${JSON.stringify(key)}]`)).join("")

// TreeFormatter prints a path as a chain of lines such as `└─ ["query"]`, `└─ [1]` or, for a
// refinement that points inside its input, `└─ ["value"][1]["value"][1]`. Stitching those lines
// together along each branch of the tree recovers every path exactly as a reader of
// `error.message` sees it.
const pathsInMessage = (message: string): Array<string> => {
  const lines = message.split("\n").map((line) => {
    const marker = line.search(/[├└]─ /u)
    return marker < 0 ? { depth: -1, text: line } : { depth: marker, text: line.slice(marker + 3) }
  })
  const stack: Array<{ readonly depth: number; readonly segment: string }> = []
  const paths: Array<string> = []
  lines.forEach(({ depth, text }, index) => {
    while ((stack.at(-1)?.depth ?? -Infinity) >= depth) stack.pop()
    if (/^(\[("(?:[^"\\]|\\.)*"|\d+)\])+$/u.test(text)) stack.push({ depth, segment: text })
    const next = lines[index + 1]
    if (next === undefined || next.depth <= depth) paths.push(stack.map(({ segment }) => segment).join(""))
  })
  return paths
}

/** Asserts the error points at `path` both in its message and in the structured issues. */
const assertFailsAt = (error: ParseResult.ParseError, path: ReadonlyArray<PropertyKey>, fragment: string): void => {
  assert.include(pathsInMessage(error.message), formatPath(path), error.message)
  assert.include(error.message, fragment)
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  assert.isTrue(
    issues.some((issue) => formatPath(issue.path) === formatPath(path) && issue.message.includes(fragment)),
    JSON.stringify(issues)
  )
}

/** Both directions must reject, because the same schema guards outgoing and incoming bodies. */
const assertRejects = (
  schema: Schema.Schema<SearchQuery.SearchRequest>,
  input: unknown,
  path: ReadonlyArray<PropertyKey>,
  fragment: string
): void => {
  for (const result of [Schema.encodeUnknownEither(schema)(input), Schema.decodeUnknownEither(schema)(input)]) {
    if (Either.isRight(result)) assert.fail(`expected a ParseError for ${JSON.stringify(input)}`)
    else assertFailsAt(result.left, path, fragment)
  }
}

/** Encodes, sends the result through JSON as the HTTP layer would, and decodes it again. */
const assertRoundTrips = (request: SearchQuery.SearchRequest): void => {
  const encoded = Schema.encodeSync(SearchQuery.SearchRequest)(request)
  const decoded = Schema.decodeUnknownSync(SearchQuery.SearchRequest)(JSON.parse(JSON.stringify(encoded)))
  assert.deepStrictEqual(encoded, request)
  assert.deepStrictEqual(decoded, request)
}

const filters = (count: number): Array<SearchQuery.Filter> =>
  Array.from({ length: count }, (_, index) => field(`custom_attributes.f${index}`).eq(index))

// ---------------------------------------------------------------------------------------------
// Builder
// ---------------------------------------------------------------------------------------------

describe("builder", () => {
  it("maps every method to its wire operator", () => {
    const email = field("email")
    assert.deepStrictEqual(
      [
        email.eq("a@b.c"),
        email.neq(null),
        email.in(["a", "b"]),
        email.nin([1, 2]),
        email.lt(1),
        email.lte(2),
        email.gt(3),
        email.gte(4),
        email.contains("x"),
        email.notContains("y"),
        email.startsWith("z"),
        email.endsWith(".c")
      ].map((filter) => [filter.operator, filter.value]),
      [
        ["=", "a@b.c"],
        ["!=", null],
        ["IN", ["a", "b"]],
        ["NIN", [1, 2]],
        ["<", 1],
        ["<=", 2],
        [">", 3],
        [">=", 4],
        ["~", "x"],
        ["!~", "y"],
        ["^", "z"],
        ["$", ".c"]
      ]
    )
  })

  it("returns plain data", () => {
    assert.deepStrictEqual(and(field("role").eq("user"), or(field("name").startsWith("A"))), {
      operator: "AND",
      value: [
        { field: "role", operator: "=", value: "user" },
        { operator: "OR", value: [{ field: "name", operator: "^", value: "A" }] }
      ]
    })
  })

  it("tells groups from filters", () => {
    assert.isTrue(SearchQuery.isGroup(or(field("a").eq(1))))
    assert.isFalse(SearchQuery.isGroup(field("a").eq(1)))
  })
})

// ---------------------------------------------------------------------------------------------
// Valid queries
// ---------------------------------------------------------------------------------------------

describe("valid queries round-trip", () => {
  it("a single filter", () => {
    assertRoundTrips({ query: field("email").eq("a@b.c") })
  })

  it("a group with pagination", () => {
    assertRoundTrips({
      query: and(field("role").eq("lead"), field("tags").in(["vip", "beta"]), field("unsubscribed").neq(true)),
      pagination: { per_page: 150, starting_after: "WzE3MDAwMDAwMDAsIjEiXQ==" }
    })
  })

  it("a nested group at level 2, mixed with filters", () => {
    assertRoundTrips({
      query: or(field("name").contains("Ada"), and(field("created_at").gt(1_700_000_000), field("id").nin([1, 2]))),
      pagination: { per_page: 1 }
    })
  })

  it("15 members per group, at both levels", () => {
    const inner = and(...filters(15))
    assertRoundTrips({ query: or(...filters(14), inner) })
    assertRoundTrips({ query: and(...Array.from({ length: 15 }, () => inner)) })
  })

  it("empty lists and null values", () => {
    assertRoundTrips({ query: and(field("tag_ids").in([]), field("email").eq(null)) })
  })

  it.effect("request encodes the body", () =>
    Effect.gen(function* () {
      const body = yield* SearchQuery.request(field("state").eq("open"), { per_page: 20 })
      assert.deepStrictEqual(body, {
        query: { field: "state", operator: "=", value: "open" },
        pagination: { per_page: 20 }
      })
    })
  )

  it.effect("contactsRequest accepts date fields with =, < and >", () =>
    Effect.gen(function* () {
      const query = and(
        field("created_at").gt(1_600_000_000),
        or(field("last_seen_at").lt(1_700_000_000), field("signed_up_at").eq(1_650_000_000)),
        // Custom date attributes cannot be recognised by name, so they are left to the API.
        field("custom_attributes.renewal_date").gte(1_700_000_000)
      )
      assert.deepStrictEqual(yield* SearchQuery.contactsRequest(query), { query })
    })
  )

  it("the generic schema leaves date-field rules to the per-resource check", () => {
    assertRoundTrips({ query: field("created_at").contains("2024") })
  })
})

// ---------------------------------------------------------------------------------------------
// Invalid queries
// ---------------------------------------------------------------------------------------------

const f = { field: "email", operator: "=", value: "a@b.c" }

describe("invalid queries name the offending path", () => {
  it("an operator outside the DSL", () => {
    assertRejects(
      SearchQuery.SearchRequest,
      {
        query: {
          operator: "AND",
          value: [{ operator: "OR", value: [f, { field: "name", operator: "LIKE", value: "A%" }] }]
        }
      },
      ["query", "value", 0, "value", 1, "operator"],
      'actual "LIKE"'
    )
  })

  it.effect("a third nesting level", () =>
    Effect.gen(function* () {
      const query = and(field("a").eq(1), or(field("b").eq(2), and(field("c").eq(3))))
      const error = yield* Effect.flip(SearchQuery.request(query))
      assertFailsAt(error, ["query", "value", 1, "value", 1], "groups may nest at most 2 levels deep")
    })
  )

  it("a third nesting level, also through the standalone Group schema", () => {
    const result = Schema.decodeUnknownEither(SearchQuery.Group)(or(and(or(field("a").eq(1)))))
    if (Either.isRight(result)) assert.fail("expected a ParseError")
    else assertFailsAt(result.left, ["value", 0, "value", 0], "at level 3")
  })

  it.effect("16 filters in a group", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(SearchQuery.request(or(field("x").eq(0), and(...filters(16)))))
      assertFailsAt(error, ["query", "value", 1, "value"], "a group needs 1..15 members, got 16")
    })
  )

  it("16 filters in the top-level group", () => {
    assertRejects(SearchQuery.SearchRequest, { query: and(...filters(16)) }, ["query", "value"], "got 16")
  })

  it("an empty group", () => {
    assertRejects(
      SearchQuery.SearchRequest,
      { query: and(field("x").eq(1), or()) },
      ["query", "value", 1, "value"],
      "got 0"
    )
  })

  it("IN with a scalar", () => {
    assertRejects(
      SearchQuery.SearchRequest,
      { query: { operator: "AND", value: [f, { field: "id", operator: "IN", value: "1" }] } },
      ["query", "value", 1, "value"],
      'Expected an array of strings or an array of integers (single values need a scalar operator), actual "1"'
    )
  })

  it("NIN with a mixed list", () => {
    assertRejects(
      SearchQuery.SearchRequest,
      { query: { field: "id", operator: "NIN", value: ["1", 2] } },
      ["query", "value"],
      'actual ["1",2]'
    )
  })

  it("= with an array", () => {
    assertRejects(
      SearchQuery.SearchRequest,
      { query: { field: "email", operator: "=", value: ["a@b.c"] } },
      ["query", "value"],
      "(lists need IN / NIN)"
    )
  })

  it("a fractional number", () => {
    assertRejects(
      SearchQuery.SearchRequest,
      { query: { field: "score", operator: ">", value: 1.5 } },
      ["query", "value"],
      "actual 1.5"
    )
  })

  it("an empty field name", () => {
    assertRejects(SearchQuery.SearchRequest, { query: { ...f, field: "" } }, ["query", "field"], "non-empty field name")
  })

  it("an unknown key", () => {
    assertRejects(SearchQuery.SearchRequest, { query: { ...f, values: [] } }, ["query", "values"], "is unexpected")
  })

  it("per_page 151 (and 0, and 1.5)", () => {
    for (const per_page of [151, 0]) {
      assertRejects(
        SearchQuery.SearchRequest,
        { query: f, pagination: { per_page } },
        ["pagination", "per_page"],
        `per_page must be 1..150, got ${per_page}`
      )
    }
    assertRejects(
      SearchQuery.SearchRequest,
      { query: f, pagination: { per_page: 1.5 } },
      ["pagination", "per_page"],
      "Expected an integer"
    )
  })

  it.effect("a contacts date field with ~", () =>
    Effect.gen(function* () {
      const query = and(field("email").endsWith("@example.com"), field("created_at").contains("2024"))
      const error = yield* Effect.flip(SearchQuery.contactsRequest(query))
      assertFailsAt(error, ["query", "value", 1, "operator"], 'contact date field "created_at" accepts only =, <, >')
    })
  )

  it("a contacts date field with <=, or in milliseconds", () => {
    assertRejects(
      SearchQuery.ContactsSearchRequest,
      { query: or(field("x").eq(1), and(field("last_seen_at").lte(1_700_000_000))) },
      ["query", "value", 1, "value", 0, "operator"],
      'got "<="'
    )
    assertRejects(
      SearchQuery.ContactsSearchRequest,
      { query: field("updated_at").gt(1_700_000_000_000) },
      ["query", "value"],
      "needs a unix timestamp in seconds"
    )
  })

  it("a Filter is not a Group", () => {
    const result = Schema.decodeUnknownEither(SearchQuery.Filter)(and(field("a").eq(1)))
    if (Either.isRight(result)) assert.fail("expected a ParseError")
    else assertFailsAt(result.left, ["operator"], 'actual "AND"')
  })
})

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const scalar: fc.Arbitrary<SearchQuery.Scalar> = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))
const list: fc.Arbitrary<SearchQuery.List> = fc.oneof(fc.array(fc.string()), fc.array(fc.integer()))

const builtFilter: fc.Arbitrary<SearchQuery.Filter> = fc.string({ minLength: 1 }).chain((name) => {
  const b = field(name)
  return fc.oneof(
    scalar.map(b.eq),
    scalar.map(b.neq),
    list.map(b.in),
    list.map(b.nin),
    fc.integer().map(b.lt),
    fc.integer().map(b.lte),
    fc.integer().map(b.gt),
    fc.integer().map(b.gte),
    fc.string().map(b.contains),
    fc.string().map(b.notContains),
    fc.string().map(b.startsWith),
    fc.string().map(b.endsWith)
  )
})

const group = <A extends SearchQuery.Query>(member: fc.Arbitrary<A>, minLength: number, maxLength: number) =>
  fc
    .tuple(fc.boolean(), fc.array(member, { minLength, maxLength }))
    .map(([isAnd, members]) => (isAnd ? and(...members) : or(...members)))

const builtQuery: fc.Arbitrary<SearchQuery.Query> = fc.oneof(
  builtFilter,
  group(fc.oneof(builtFilter, group(builtFilter, 1, SearchQuery.maxGroupSize)), 1, SearchQuery.maxGroupSize)
)

const pagination: fc.Arbitrary<SearchQuery.Pagination> = fc.record(
  { per_page: fc.integer({ min: 1, max: SearchQuery.maxPerPage }), starting_after: fc.string() },
  { requiredKeys: [] }
)

describe("properties", () => {
  it.prop("builder output within the limits validates and round-trips", [builtQuery, pagination], ([query, page]) => {
    assertRoundTrips({ query, pagination: page })
    assertRoundTrips({ query })
  })

  it.prop("whatever Filter's own arbitrary makes round-trips", [Arbitrary.make(SearchQuery.Filter)], ([filter]) => {
    assertRoundTrips({ query: filter })
  })

  it.prop(
    "a group above the size limit is rejected at its value",
    [fc.array(builtFilter, { minLength: SearchQuery.maxGroupSize + 1, maxLength: 40 })],
    ([members]) => {
      assertRejects(
        SearchQuery.SearchRequest,
        { query: or(field("x").eq(1), and(...members)) },
        ["query", "value", 1, "value"],
        `got ${members.length}`
      )
    }
  )
})

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

describe("types", () => {
  it("builder methods take the value shape their operator needs", () => {
    const x = field("x")
    expectTypeOf(x.in).parameter(0).toEqualTypeOf<SearchQuery.List>()
    expectTypeOf(x.nin).parameter(0).toEqualTypeOf<ReadonlyArray<string> | ReadonlyArray<number>>()
    expectTypeOf(x.eq).parameter(0).toEqualTypeOf<SearchQuery.Scalar>()
    expectTypeOf(x.lt).parameter(0).toEqualTypeOf<number>()
    expectTypeOf(x.contains).parameter(0).toEqualTypeOf<string>()
    expectTypeOf(x.in(["a"])).toEqualTypeOf<SearchQuery.ListFilter<"IN">>()
    expectTypeOf(x.gte(1)).toEqualTypeOf<SearchQuery.ScalarFilter<">=">>()
    expectTypeOf(and(x.eq(1))).toEqualTypeOf<SearchQuery.Group<"AND">>()
    expectTypeOf(or(x.eq(1), and(x.eq(2)))).toExtend<SearchQuery.Query>()

    // Never called: these lines exist for `tsc` to prove the misuse does not compile.
    const _misuse = () => {
      // @ts-expect-error IN needs a list
      x.in("a")
      // @ts-expect-error lists must not mix strings and integers
      x.in(["a", 1])
      // @ts-expect-error = takes a single value
      x.eq(["a"])
      // @ts-expect-error text operators take strings
      x.contains(1)
      // @ts-expect-error ordering operators take numbers
      x.lt("1")
      // @ts-expect-error a filter needs a field name
      field()
      // @ts-expect-error a group's members must be queries
      and("x")
    }
    expectTypeOf(_misuse).toBeFunction()
  })

  it("schemas type exactly the exported interfaces, with no transformation", () => {
    expectTypeOf<Schema.Schema.Type<typeof SearchQuery.SearchRequest>>().toEqualTypeOf<SearchQuery.SearchRequest>()
    expectTypeOf<Schema.Schema.Encoded<typeof SearchQuery.SearchRequest>>().toEqualTypeOf<SearchQuery.SearchRequest>()
    expectTypeOf<Schema.Schema.Type<typeof SearchQuery.Query>>().toEqualTypeOf<SearchQuery.Query>()
    expectTypeOf<Schema.Schema.Type<typeof SearchQuery.Filter>>().toEqualTypeOf<SearchQuery.Filter>()
    expectTypeOf<Schema.Schema.Context<typeof SearchQuery.ContactsSearchRequest>>().toEqualTypeOf<never>()
    expectTypeOf(SearchQuery.request).returns.toEqualTypeOf<
      Effect.Effect<SearchQuery.SearchRequest, ParseResult.ParseError>
    >()
  })
})

describe("withStartingAfter", () => {
  it("returns a copy with the cursor, keeps per_page, and leaves the body as it was", () => {
    const body: SearchQuery.SearchRequest = Object.freeze({
      query: Object.freeze(field("id").eq(1)),
      pagination: Object.freeze({ per_page: 7 })
    })
    const next = SearchQuery.withStartingAfter(body, "c")
    assert.deepStrictEqual(next, {
      query: { field: "id", operator: "=", value: 1 },
      pagination: { per_page: 7, starting_after: "c" }
    })
    assert.deepStrictEqual(body.pagination, { per_page: 7 })
    assert.deepStrictEqual(SearchQuery.withStartingAfter({ query: body.query }, "d").pagination, {
      starting_after: "d"
    })
  })
})
