import { assert, describe, it } from "@effect/vitest"
import { kebabCase, operationDocsUrl, pascalCase, propertyKey, snakeCase } from "../src/naming.js"

describe("naming", () => {
  it("PascalCases component names and operationIds", () => {
    assert.strictEqual(pascalCase("create_contact_request"), "CreateContactRequest")
    assert.strictEqual(pascalCase("lisDataEvents"), "LisDataEvents")
    assert.strictEqual(pascalCase("ShowContact"), "ShowContact")
  })

  it("snake_cases operationIds, including runs of capitals", () => {
    assert.strictEqual(snakeCase("attachContactToACompany"), "attach_contact_to_a_company")
    assert.strictEqual(snakeCase("RetrieveACompanyById"), "retrieve_a_company_by_id")
  })

  it("kebab-cases tags into module names", () => {
    assert.strictEqual(kebabCase("Ticket Type Attributes"), "ticket-type-attributes")
  })

  it("quotes keys that are not identifiers", () => {
    assert.strictEqual(propertyKey("pt-BR"), '"pt-BR"')
    assert.strictEqual(propertyKey("type"), "type")
  })

  it("links an operation to its page", () => {
    assert.strictEqual(
      operationDocsUrl("Data Attributes", "lisDataAttributes"),
      "https://developers.intercom.com/docs/references/2.10/rest-api/api.intercom.io/data-attributes/lisdataattributes"
    )
  })
})
