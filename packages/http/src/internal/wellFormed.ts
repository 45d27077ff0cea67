/**
 * Lone surrogates: UTF-16 halves without their pair. `encodeURIComponent` throws on them, `URLSearchParams` and the
 * URL parser silently replace them with U+FFFD, and JSON carries them as escapes no UTF-8 peer can read back. They
 * are never what a caller meant to send, so every path, query and body is checked for them.
 *
 * @internal
 */

// With the `u` flag a paired surrogate is one code point, so only the lone halves are of category Cs.
const loneSurrogate = /\p{Cs}/u

/** Whether a string holds a lone surrogate. @internal */
export const hasLoneSurrogate = (s: string): boolean => loneSurrogate.test(s)
