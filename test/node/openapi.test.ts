import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { errorStatus, type ErrorCode } from '../../src/errors'
import { buildOpenApiDocument } from '../../src/http/openapi/document'
import committed from '../../public/openapi.json'

const openApiDocument = buildOpenApiDocument

interface Operation {
  responses: Record<
    string,
    {
      content?: {
        'application/json'?: {
          schema?: { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } }
        }
      }
    }
  >
}

function documentedCodes(): Map<ErrorCode, Set<number>> {
  const found = new Map<ErrorCode, Set<number>>()
  for (const item of Object.values(openApiDocument().paths) as Record<string, Operation>[]) {
    for (const operation of Object.values(item)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const codes =
          response.content?.['application/json']?.schema?.properties?.error?.properties?.code
            ?.enum ?? []
        for (const code of codes as ErrorCode[])
          found.set(code, new Set([...(found.get(code) ?? []), Number(status)]))
      }
    }
  }
  return found
}

describe('the OpenAPI document', () => {
  it('is committed as generated from the zod schemas (npm run openapi)', () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())))
  })

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator()
    const result = await validator.validate(structuredClone(openApiDocument()))
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('documents every error code under its status, except the route-less NOT_FOUND', () => {
    const found = documentedCodes()
    for (const [code, status] of Object.entries(errorStatus) as [ErrorCode, number][]) {
      if (code === 'NOT_FOUND') continue
      expect(found.get(code), code).toEqual(new Set([status]))
    }
  })

  it('describes the request body with the same limits the validator enforces', () => {
    const body = openApiDocument().paths['/v1/embed/token'].post.requestBody.content[
      'application/json'
    ].schema as {
      required: string[]
      additionalProperties: boolean
      properties: Record<
        string,
        {
          minLength?: number
          maxLength?: number
          required?: string[]
          anyOf?: { type?: string; minLength?: number; maxLength?: number }[]
        }
      >
    }
    expect(body.required.sort()).toEqual(['partner', 'programId'])
    expect(body.additionalProperties).toBe(false)
    expect(body.properties.programId).toMatchObject({ minLength: 1, maxLength: 64 })
    // Optional fields also take null, meaning "not given".
    expect(body.properties.externalUserId?.anyOf).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ minLength: 1, maxLength: 255 }),
        { type: 'null' },
      ])
    )
    expect(body.properties.partner?.required).toEqual(['email'])
  })
})
