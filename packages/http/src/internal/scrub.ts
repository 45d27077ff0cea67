/**
 * Removes a secret from text taken from a response or a transport error before it becomes part of an error.
 *
 * A server, a proxy or a WAF that echoes the request back may write the token in another form than it was sent:
 * JSON-escaped (PHP writes `/` as `\/`, some encoders write every character as `\u00XX`, nested JSON doubles the
 * backslashes), percent-encoded (once or twice) or as HTML character references. The pattern accepts any of those
 * forms for each character independently, so a mixture is caught too. Raw characters stay case-sensitive; only the
 * hex digits of an escape are not.
 */

/** What replaces the secret. */
export const placeholder = "[redacted]"

const hexDigit = (digit: string): string => {
  const lower = digit.toLowerCase()
  const upper = digit.toUpperCase()
  return lower === upper ? digit : `[${lower}${upper}]`
}

const hex = (value: number, width: number): string =>
  Array.from(value.toString(16).padStart(width, "0"), hexDigit).join("")

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

const utf8 = new TextEncoder()

/** Every form one character (a code point) may take in an echo. */
const characterForms = (character: string): string => {
  const codePoint = character.codePointAt(0) ?? 0
  const codeUnits = Array.from({ length: character.length }, (_, i) => character.charCodeAt(i))
  const forms = [
    // raw, or behind any number of backslashes (`\/`, `\"`, `\\/` in JSON inside JSON)
    `\\\\*${escapeRegExp(character)}`,
    // JSON unicode escape, one per UTF-16 unit
    codeUnits.map((unit) => `\\\\*u${hex(unit, 4)}`).join(""),
    // percent-encoding of each UTF-8 byte, possibly encoded again (%252F)
    Array.from(utf8.encode(character), (byte) => `%(?:25)*${hex(byte, 2)}`).join(""),
    // HTML character reference, decimal or hex
    `&#(?:0*${codePoint}|[xX]0*${hex(codePoint, 1)});`
  ]
  return `(?:${forms.join("|")})`
}

/**
 * A function that replaces every occurrence of `secret`, in any of the forms above, with a placeholder.
 *
 * @internal
 */
export const make = (secret: string): ((text: string) => string) => {
  if (secret.length === 0) return (text) => text
  const pattern = new RegExp(Array.from(secret, characterForms).join(""), "g")
  // Every form of a character is at least one character long, so a text shorter than the secret cannot hold it:
  // the request id of every response is such a text, and skips the pattern.
  const shortest = Array.from(secret).length
  return (text) => (text.length < shortest ? text : text.replace(pattern, placeholder))
}
