import { randomToken } from './tracking-id'

// Readable, prefixed ids (`prog_…`, `aff_…`): an id in a log or a support ticket says what it is.
export type IdPrefix =
  | 'team'
  | 'key'
  | 'prog'
  | 'grp'
  | 'inv'
  | 'usr'
  | 'aff'
  | 'ref'
  | 'cnv'
  | 'com'
  | 'rfd'
  | 'pay'

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomToken(20)}`
}
