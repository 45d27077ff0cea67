/**
 * The access token the mock server accepts and the workers send. It lives in secret.json so that the root `test`
 * script (scripts/scan-output.mjs) can fail the run if it ever shows up in what the tests or the workers print.
 */
import secret from "./secret.json" with { type: "json" }

export const token: string = secret.token
