// The permissions an API key can carry. A route names the one it needs; the key checks in SQL
// receive it as an argument, so this is the only place the vocabulary is written down.
export const PERMISSIONS = {
  readAffiliates: 'read:affiliates',
  writeAffiliates: 'write:affiliates',
  writeReferrals: 'write:referrals',
  writeCommissions: 'write:commissions',
} as const

export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS]

export const ALL_PERMISSIONS: readonly Permission[] = Object.values(PERMISSIONS)
