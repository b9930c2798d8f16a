// What a guarded statement answers: refused, with the code of the first check that failed in the
// contract's order, or done, with the fields it promises (never null). The row's nullable columns
// are read once, here in the data layer, so callers branch on `refused` and nothing else.
export type Outcome<Code extends string, Done extends object> =
  | { refused: Code }
  | ({ refused: null } & Done)

// A statement built to answer exactly one row (a verdict CTE joined to its results).
export function onlyRow<Row>(rows: Row[], statement: string): Row {
  const [row] = rows
  if (row === undefined) throw new Error(`${statement} returned no row`)
  return row
}

// A column the statement guarantees once its verdict is empty.
export function present<T>(value: T | null | undefined, column: string): T {
  if (value === null || value === undefined) throw new Error(`statement returned no ${column}`)
  return value
}
