import { assert, describe, it } from "@effect/vitest"
import * as Scrub from "../src/internal/scrub.js"

const token = "dG9r/Ab+c=="
const scrub = Scrub.make(token)
const hex = (code: number, width: number) => code.toString(16).padStart(width, "0")

describe("the scrubber", () => {
  const forms: Record<string, string> = {
    raw: token,
    "escaped slashes (\\/)": token.replaceAll("/", "\\/"),
    "JSON in JSON (\\\\/)": token.replaceAll("/", "\\\\/"),
    "unicode escapes, lower case": Array.from(token, (c) => `\\u${hex(c.charCodeAt(0), 4)}`).join(""),
    "unicode escapes, upper case": Array.from(token, (c) => `\\u${hex(c.charCodeAt(0), 4).toUpperCase()}`).join(""),
    "percent-encoded": encodeURIComponent(token),
    "percent-encoded, lower-case hex": encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    "percent-encoded twice": encodeURIComponent(encodeURIComponent(token)),
    "every character percent-encoded": Array.from(token, (c) => `%${hex(c.charCodeAt(0), 2)}`).join(""),
    "HTML references": Array.from(token, (c) => `&#${c.charCodeAt(0)};`).join(""),
    "a mixture": "dG9r\\/A%62+c\\u003d="
  }

  for (const [name, form] of Object.entries(forms)) {
    it(`removes the token written as ${name}`, () => {
      assert.strictEqual(scrub(`before ${form} after`), `before ${Scrub.placeholder} after`)
      assert.strictEqual(scrub(`${form}${form}`), `${Scrub.placeholder}${Scrub.placeholder}`)
    })
  }

  it("removes the token when it is the whole text, and skips texts too short to hold it", () => {
    assert.strictEqual(scrub(token), Scrub.placeholder)
    assert.strictEqual(scrub(token.slice(0, -1)), token.slice(0, -1))
    // A secret outside the BMP counts in characters, not UTF-16 units: its shortest form is the raw one.
    const wide = Scrub.make("a\u{1F511}b")
    assert.strictEqual(wide("a\u{1F511}b"), Scrub.placeholder)
    assert.strictEqual(wide("x a%F0%9F%94%91b"), `x ${Scrub.placeholder}`)
  })

  it("leaves other text alone, including the token with a letter in another case", () => {
    for (const text of ["", "nothing to see", "dG9r/Ab+C==", "dG9r/Ab+c=", token.toUpperCase(), "%2F%2B"]) {
      assert.strictEqual(scrub(text), text)
    }
  })

  it("treats regular-expression characters in the token literally", () => {
    const tricky = Scrub.make("a.b*c(d)[e]$^|?")
    assert.strictEqual(tricky("x a.b*c(d)[e]$^|? y"), `x ${Scrub.placeholder} y`)
    assert.strictEqual(tricky("aXbbbcd"), "aXbbbcd")
  })

  it("does nothing for an empty secret", () => {
    assert.strictEqual(Scrub.make("")("text"), "text")
  })
})
