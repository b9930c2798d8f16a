import { describe, expect, it } from 'vitest'
import { getData, json, newTenant, type Tenant, uniqueEmail } from './support/harness'
import { issueFor } from './support/tokens'

// One person (one email) can be an affiliate of several teams' programs. Whatever one team
// sends about that person must never show on another team's dashboard.

interface Shown {
  affiliate: { name: string | null; avatarUrl: string | null; trackingId: string }
  link: string
}

async function dashboardOf(t: Tenant, email: string, partner: { name?: string; image?: string }) {
  const { token } = await issueFor(t, { email, ...partner })
  const response = await getData(token)
  expect(response.status).toBe(200)
  return (await json<Shown>(response)).data
}

describe('tenant-safe identities', () => {
  it('team B sees the name and image it sent, though team A created the person first', async () => {
    const [a, b] = [await newTenant(), await newTenant()]
    const email = uniqueEmail('jane')
    const seenByA = await dashboardOf(a, email, { name: 'Jane Doe' })
    const seenByB = await dashboardOf(b, email, {
      name: 'Team B Jane',
      image: 'https://b.example/jane.png',
    })
    expect(seenByB?.affiliate).toMatchObject({
      name: 'Team B Jane',
      avatarUrl: 'https://b.example/jane.png',
      trackingId: 'team-b-jane',
    })
    expect(seenByA?.affiliate).toMatchObject({
      name: 'Jane Doe',
      avatarUrl: null,
      trackingId: 'jane-doe',
    })
    // Team A's dashboard, read again after team B's request, still shows only team A's values.
    const again = await dashboardOf(a, email, {})
    expect(again?.affiliate).toMatchObject({ name: 'Jane Doe', avatarUrl: null })
  })

  it('and the reverse order: team A never sees what team B sent first', async () => {
    const [a, b] = [await newTenant(), await newTenant()]
    const email = uniqueEmail('jane')
    const seenByB = await dashboardOf(b, email, {
      name: 'Team B Jane',
      image: 'https://b.example/jane.png',
    })
    const seenByA = await dashboardOf(a, email, { name: 'Jane Doe' })
    expect(seenByA?.affiliate).toMatchObject({
      name: 'Jane Doe',
      avatarUrl: null,
      trackingId: 'jane-doe',
    })
    expect(seenByB?.affiliate).toMatchObject({
      name: 'Team B Jane',
      avatarUrl: 'https://b.example/jane.png',
    })
  })

  it('a team that sends only the email learns nothing another team stored', async () => {
    const [a, b] = [await newTenant(), await newTenant()]
    const email = uniqueEmail('victoria')
    await dashboardOf(b, email, { name: 'Victoria Secretname', image: 'https://b.example/v.png' })
    const seenByA = await dashboardOf(a, email, {})
    expect(seenByA?.affiliate).toMatchObject({ name: null, avatarUrl: null })
    expect(JSON.stringify(seenByA)).not.toContain('Secretname')
  })

  it('a returning affiliate keeps the name and image its team sent when it was created', async () => {
    const t = await newTenant()
    const email = uniqueEmail('kept')
    await dashboardOf(t, email, { name: 'First Name', image: 'https://cdn.example/1.png' })
    const later = await dashboardOf(t, email, {
      name: 'Other Name',
      image: 'https://cdn.example/2.png',
    })
    expect(later?.affiliate).toMatchObject({
      name: 'First Name',
      avatarUrl: 'https://cdn.example/1.png',
    })
  })
})
