import { describe, expect, it } from 'vitest'
import { call, defined, issueToken, json, newTenant, uniqueEmail } from './support/harness'
import { affiliateOf, clickFor, data, newTrackingTenant, post } from './support/tracking'

interface Documented {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: {
          content: { 'application/json': { examples: Record<string, { value: unknown }> } }
        }
        responses: Record<
          string,
          {
            content?: {
              'application/json'?: {
                examples?: Record<
                  string,
                  { value: { error?: { code: string; details?: { path: string }[] } } }
                >
              }
            }
          }
        >
      }
    >
  >
}

function tokenOperation(doc: Documented) {
  return defined(doc.paths['/v1/embed/token']?.post, 'POST /v1/embed/token in the document')
}

// Where the document puts the answer to a request example: the response holding an example of
// the same name.
function documentedAnswer(doc: Documented, name: string, path = '/v1/embed/token') {
  const { responses } = defined(doc.paths[path]?.post, `POST ${path} in the document`)
  for (const [status, response] of Object.entries(responses)) {
    const example = response.content?.['application/json']?.examples?.[name]
    if (example) return { status: Number(status), body: example.value }
  }
  throw new Error(`no documented answer for example ${name}`)
}

describe('GET /openapi.json', () => {
  it('serves the OpenAPI 3.1 document with every public route', async () => {
    const response = await call('/openapi.json')
    expect(response.status).toBe(200)
    const doc = (await response.json()) as Documented & { openapi: string }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/embed',
      '/embed.js',
      '/embed/referrals',
      '/healthz',
      '/openapi.json',
      '/track.js',
      '/v1/clicks',
      '/v1/conversions',
      '/v1/conversions/{id}/refund',
      '/v1/embed/data',
      '/v1/embed/token',
      '/v1/signups',
      '/v1/track/click',
    ])
  })

  it('every request example gets the answer the document gives it from the live route', async () => {
    const doc = (await (await call('/openapi.json')).json()) as Documented
    const { examples } = defined(tokenOperation(doc).requestBody, 'its request body').content[
      'application/json'
    ]
    expect(Object.keys(examples).length).toBeGreaterThanOrEqual(4)
    for (const [name, { value }] of Object.entries(examples)) {
      const t = await newTenant({ website: 'https://acme.com' })
      const request = JSON.parse(
        JSON.stringify(value).replaceAll('"prog_example"', JSON.stringify(t.programId))
      )
      const answer = documentedAnswer(doc, name)
      const response = await issueToken(t.apiKey, request)
      expect({ name, status: response.status }).toEqual({ name, status: answer.status })
      const body = await json(response)
      if (answer.status === 201) {
        const data = body.data as Record<string, unknown>
        const documented = (answer.body as unknown as { data: Record<string, unknown> }).data
        expect(Object.keys(data).sort()).toEqual(Object.keys(documented).sort())
        expect(data.link).toBe(documented.link)
        expect(data.partnershipStatus).toBe(documented.partnershipStatus)
      } else {
        expect(body.error?.code).toBe(answer.body.error?.code)
        expect(body.error?.details?.map((d) => d.path)).toEqual(
          answer.body.error?.details?.map((d) => d.path)
        )
      }
    }
  })

  it('every tracking example gets the answer the document gives it from the live route', async () => {
    const doc = (await (await call('/openapi.json')).json()) as Documented
    const paths = ['/v1/clicks', '/v1/signups', '/v1/conversions', '/v1/conversions/{id}/refund']
    for (const path of paths) {
      const operation = defined(doc.paths[path]?.post, `POST ${path}`)
      const { examples } = defined(operation.requestBody, 'its request body').content[
        'application/json'
      ]
      expect(Object.keys(examples).length, path).toBeGreaterThanOrEqual(2)
      for (const [name, { value }] of Object.entries(examples)) {
        // A fresh tenant with the affiliate, click and sale the examples name.
        const t = await newTrackingTenant()
        const trackingId = await affiliateOf(t, uniqueEmail('jane'), 'Jane Doe')
        const clickId = await clickFor(t, trackingId)
        const sale = await data<{ id: string }>(
          await post('/v1/conversions', t.trackingKey, {
            external_event_id: `in_${crypto.randomUUID()}`,
            sale_amount: 99,
            click_id: await clickFor(t, trackingId),
          })
        )
        const fill = (text: string) =>
          text
            .replaceAll('prog_example', t.programId)
            .replaceAll('clk_example', clickId)
            .replaceAll('cnv_example', sale.id)
        const request = JSON.parse(fill(JSON.stringify(value)))
        const answer = documentedAnswer(doc, name, path)
        const response = await post(
          fill(path.replace('{id}', 'cnv_example')),
          t.trackingKey,
          request
        )
        expect({ path, name, status: response.status }).toEqual({
          path,
          name,
          status: answer.status,
        })
        const body = await json(response)
        if (answer.status < 400) {
          const documented = (answer.body as unknown as { data: Record<string, unknown> }).data
          expect(Object.keys(body.data as object).sort(), name).toEqual(
            Object.keys(documented).sort()
          )
        } else {
          expect(body.error?.code, name).toBe(answer.body.error?.code)
          expect(
            body.error?.details?.map((d) => d.path),
            name
          ).toEqual(answer.body.error?.details?.map((d) => d.path))
        }
      }
    }
  })
})
