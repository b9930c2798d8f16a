export const DECLINE_REASONS = [
  'self_referral',
  'partnership_not_approved',
  'reward_duration_over',
] as const
export type DeclineReason = (typeof DECLINE_REASONS)[number]

// Why a commission is what it is, from what it kept of its computation: "20 % of $99.00",
// "$5.00 per sale", a lead reward, a clawback of a refund, or why it earned nothing (null: a
// reason recorded by a later version of this service).
export type Basis =
  | { kind: 'percentage'; percent: number; base: number }
  | { kind: 'fixed'; amount: number }
  | { kind: 'lead' }
  | { kind: 'clawback'; refund: number }
  | { kind: 'declined'; reason: DeclineReason | null }

export const declineReason = (reason: string | null): DeclineReason | null =>
  DECLINE_REASONS.find((known) => known === reason) ?? null
