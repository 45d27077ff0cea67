/**
 * The package version, sent in the User-Agent. Kept in step with package.json by a test.
 *
 * @internal
 */
export const version = "0.0.0"
