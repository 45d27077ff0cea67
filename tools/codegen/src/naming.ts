/**
 * Identifier helpers. Every name the generator writes goes through here so that names stay stable.
 */

/** `create_contact_request` / `ShowContact` / `lisDataEvents` -> `CreateContactRequest` / `ShowContact` / `LisDataEvents`. */
export const pascalCase = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("")

/** `setAwayAdmin` -> `set_away_admin`. */
export const snakeCase = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toLowerCase()

/** `Data Attributes` -> `data-attributes`. */
export const kebabCase = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** A property key as it must appear in an object literal. */
export const propertyKey = (key: string): string => (identifier.test(key) ? key : JSON.stringify(key))

/** Deterministic string comparison (no locale). */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** The page of an operation on developers.intercom.com. */
export const operationDocsUrl = (tag: string, operationId: string): string =>
  `https://developers.intercom.com/docs/references/2.10/rest-api/api.intercom.io/${kebabCase(tag)}/${operationId.toLowerCase()}`
