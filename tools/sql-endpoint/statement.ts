// Just enough SQL lexing to name a statement when the engine reports no command tag.

// The first keyword of a statement, upper-cased, skipping whitespace, comments and "(".
export function leadingKeyword(sql: string): string {
  let i = 0
  while (i < sql.length) {
    const ch = sql[i]
    if (ch === undefined) break
    if (/\s/.test(ch) || ch === '(') {
      i++
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i)
      i = end === -1 ? sql.length : end + 1
    } else if (sql.startsWith('/*', i)) {
      // PostgreSQL block comments nest.
      let depth = 1
      i += 2
      while (i < sql.length && depth > 0) {
        if (sql.startsWith('/*', i)) {
          depth++
          i += 2
        } else if (sql.startsWith('*/', i)) {
          depth--
          i += 2
        } else {
          i++
        }
      }
    } else {
      break
    }
  }
  const match = /^[A-Za-z_]+/.exec(sql.slice(i))
  return match ? match[0].toUpperCase() : ''
}

const COUNTS_AFFECTED_ROWS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY'])
const COUNTS_RETURNED_ROWS = new Set(['SELECT', 'VALUES', 'TABLE', 'FETCH', 'MOVE'])

// Derives command and row count the way PostgreSQL's command tag would state them. Only used
// when the engine does not report the tag; a WITH statement is named by what it evidently did.
export function commandFromStatement(
  sql: string,
  rowsReturned: number,
  affectedRows: number | undefined
): { command: string; rowCount: number | null } {
  let command = leadingKeyword(sql)
  if (command === 'WITH') command = affectedRows ? 'INSERT' : 'SELECT'
  if (command === 'VALUES' || command === 'TABLE') command = 'SELECT'
  if (COUNTS_AFFECTED_ROWS.has(command)) return { command, rowCount: affectedRows ?? rowsReturned }
  if (COUNTS_RETURNED_ROWS.has(command)) return { command, rowCount: rowsReturned }
  return { command, rowCount: null }
}
