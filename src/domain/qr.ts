// A QR code encoder for one job: a link, in byte mode, at error correction level M (survives a
// smudged or partly covered print). It follows Project Nayuki's reference algorithm, as uqr
// does; uqr handles every mode and level and costs ~3.8 KiB gzip of the size-budgeted worker
// bundle, this ~1 KiB. test/unit/qr.test.ts checks it module for module against uqr.

export interface QrModules {
  // Width and height in modules, the four-module quiet zone included.
  size: number
  // An SVG path of the dark modules, one unit per module.
  path: string
}

// Level M, by version (index 0 unused): error correction codewords per block, number of blocks.
const ECC_PER_BLOCK = [
  0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28,
  28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
]
const BLOCKS = [
  0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25,
  26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
]

type Mask = (x: number, y: number) => boolean

const MASKS: readonly Mask[] = [
  (x, y) => (x + y) % 2 === 0,
  (_, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
]

const bit = (value: number, i: number) => (value >>> i) & 1

// `array[index]`, for an index the algorithm guarantees is in range: a slip throws rather than
// reading `undefined` as 0 and drawing a wrong code.
function get<T>(array: ArrayLike<T>, index: number): T {
  const value = array[index]
  if (value === undefined) throw new RangeError(`QR encoder bug: index ${index} of ${array.length}`)
  return value
}

// Modules left for data and error correction once the function patterns are drawn.
function rawModules(v: number): number {
  const n = Math.floor(v / 7) + 2
  return (16 * v + 128) * v + 64 - (v < 2 ? 0 : (25 * n - 10) * n - 55 + (v < 7 ? 0 : 36))
}

// Multiplication in GF(256) modulo x^8 + x^4 + x^3 + x^2 + 1.
function gfMul(x: number, y: number): number {
  let z = 0
  for (let i = 7; i >= 0; i--) z = (z << 1) ^ ((z >>> 7) * 0x11d) ^ (bit(y, i) * x)
  return z
}

// The error correction codewords: the remainder of `data` divided by the generator polynomial
// of `degree`, coefficients highest power first (the generator's leading 1 left out). A
// coefficient shifted in past the end is 0.
function reedSolomon(data: readonly number[], degree: number): number[] {
  let divisor: number[] = Array(degree).fill(0)
  divisor[degree - 1] = 1
  for (let i = 0, root = 1; i < degree; i++, root = gfMul(root, 2)) {
    divisor = divisor.map((c, j) => gfMul(c, root) ^ (divisor[j + 1] ?? 0))
  }
  let remainder: number[] = Array(degree).fill(0)
  for (const byte of data) {
    const factor = byte ^ get(remainder, 0)
    remainder = divisor.map((c, j) => (remainder[j + 1] ?? 0) ^ gfMul(c, factor))
  }
  return remainder
}

// Data codewords for `bytes`, error correction added and blocks interleaved, at the smallest
// version that holds them.
function codewords(bytes: Uint8Array): { v: number; words: number[] } {
  let v = 1
  let count = 0
  let eccLength = 0
  let capacity = 0
  for (; ; v++) {
    if (v > 40) throw new RangeError('too long for a QR code')
    count = get(BLOCKS, v)
    eccLength = get(ECC_PER_BLOCK, v)
    capacity = (rawModules(v) >> 3) - eccLength * count
    if (4 + (v < 10 ? 8 : 16) + bytes.length * 8 <= capacity * 8) break
  }
  const bits: number[] = []
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push(bit(value, i))
  }
  put(4, 4)
  put(bytes.length, v < 10 ? 8 : 16)
  for (const b of bytes) put(b, 8)
  put(0, Math.min(4, capacity * 8 - bits.length))
  put(0, (8 - (bits.length % 8)) % 8)
  for (let pad = 0xec; bits.length < capacity * 8; pad ^= 0xec ^ 0x11) put(pad, 8)
  const data: number[] = Array(capacity).fill(0)
  for (const [i, b] of bits.entries()) data[i >> 3] = get(data, i >> 3) | (b << (7 - (i & 7)))

  // `count` blocks; the first `short` of them one data codeword shorter than the rest.
  const raw = rawModules(v) >> 3
  const short = count - (raw % count)
  const shortLength = Math.floor(raw / count)
  const blocks: number[][] = []
  for (let i = 0, start = 0; i < count; i++) {
    const end = start + shortLength - eccLength + (i < short ? 0 : 1)
    const block = data.slice(start, end)
    start = end
    const ecc = reedSolomon(block, eccLength)
    if (i < short) block.push(0)
    blocks.push(block.concat(ecc))
  }
  // Every block is now shortLength + 1 long; the short blocks' padding is skipped.
  const words: number[] = []
  for (let i = 0; i <= shortLength; i++) {
    for (const [j, block] of blocks.entries()) {
      if (i !== shortLength - eccLength || j >= short) words.push(get(block, i))
    }
  }
  return { v, words }
}

export function qrModules(text: string): QrModules {
  const { v, words } = codewords(new TextEncoder().encode(text))
  const size = v * 4 + 17
  // One cell per module: 0 or 1 for a light or dark data module, 2 or 3 for a function module.
  const m = new Uint8Array(size * size)
  const fn = (x: number, y: number, dark: boolean | number) => (m[y * size + x] = 2 | Number(dark))
  const at = (x: number, y: number) => get(m, y * size + x) & 1

  const format = (mask: number) => {
    let rem = mask
    for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537)
    const bits = ((mask << 10) | rem) ^ 0x5412
    for (let i = 0; i < 15; i++) {
      const b = bit(bits, i)
      if (i < 6) fn(8, i, b)
      else if (i < 8) fn(8, i + 1, b)
      else if (i === 8) fn(7, 8, b)
      else fn(14 - i, 8, b)
      if (i < 8) fn(size - 1 - i, 8, b)
      else fn(8, size - 15 + i, b)
    }
    fn(8, size - 8, 1)
  }

  // Function patterns: timing, finders, alignment, format and version information.
  for (let i = 0; i < size; i++) {
    fn(6, i, i % 2 === 0)
    fn(i, 6, i % 2 === 0)
  }
  const square = (cx: number, cy: number, r: number, dark: (d: number) => boolean) => {
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        const x = cx + dx
        const y = cy + dy
        if (x >= 0 && x < size && y >= 0 && y < size)
          fn(x, y, dark(Math.max(Math.abs(dx), Math.abs(dy))))
      }
    }
  }
  const finders = [
    [3, 3],
    [size - 4, 3],
    [3, size - 4],
  ] as const
  for (const [x, y] of finders) square(x, y, 4, (d) => d !== 2 && d !== 4)
  const n = v === 1 ? 0 : Math.floor(v / 7) + 2
  const step = v === 32 ? 26 : Math.ceil((v * 4 + 4) / (n * 2 - 2)) * 2
  const positions = n ? [6] : []
  for (let p = size - 7; positions.length < n; p -= step) positions.splice(1, 0, p)
  for (const [i, x] of positions.entries()) {
    for (const [j, y] of positions.entries()) {
      const corner = (i === 0 && (j === 0 || j === n - 1)) || (i === n - 1 && j === 0)
      if (!corner) square(x, y, 2, (d) => d !== 1)
    }
  }
  format(0)
  if (v >= 7) {
    let rem = v
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25)
    const bits = (v << 12) | rem
    for (let i = 0; i < 18; i++) {
      fn(size - 11 + (i % 3), Math.floor(i / 3), bit(bits, i))
      fn(Math.floor(i / 3), size - 11 + (i % 3), bit(bits, i))
    }
  }

  // Codewords, in the zigzag of two-module columns from the bottom right.
  let i = 0
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5
    for (let vert = 0; vert < size; vert++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j
        const y = (right + 1) & 2 ? vert : size - 1 - vert
        if (get(m, y * size + x) < 2 && i < words.length * 8) {
          m[y * size + x] = bit(get(words, i >> 3), 7 - (i & 7))
          i++
        }
      }
    }
  }

  // The mask with the lowest penalty, as the standard scores it.
  const applyMask = (mask: Mask) =>
    m.forEach((c, i) => {
      if (c < 2 && mask(i % size, Math.floor(i / size))) m[i] = c ^ 1
    })
  let best = 0
  let lowest = Infinity
  for (const [k, mask] of MASKS.entries()) {
    applyMask(mask)
    format(k)
    const score = penalty(size, at)
    if (score < lowest) [best, lowest] = [k, score]
    applyMask(mask)
  }
  applyMask(get(MASKS, best))
  format(best)

  let path = ''
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!at(x, y)) continue
      const start = x
      while (x + 1 < size && at(x + 1, y)) x++
      path += `M${start + 4} ${y + 4}h${x - start + 1}v1h-${x - start + 1}z`
    }
  }
  return { size: size + 8, path }
}

// The last seven runs of one colour along a line, the latest first.
type Runs = [number, number, number, number, number, number, number]

function penalty(size: number, at: (x: number, y: number) => number): number {
  let score = 0
  for (let pass = 0; pass < 2; pass++) {
    for (let a = 0; a < size; a++) {
      // Runs of one colour along a row (pass 0) or a column (pass 1), and finder-like patterns.
      // The light border outside the symbol counts as a run `size` long.
      let history: Runs = [0, 0, 0, 0, 0, 0, 0]
      const add = (run: number) => {
        const [h0, h1, h2, h3, h4, h5] = history
        history = [h0 === 0 ? run + size : run, h0, h1, h2, h3, h4, h5]
      }
      const finders = () => {
        const [h0, h1, h2, h3, h4, h5, h6] = history
        const core = h1 > 0 && h2 === h1 && h3 === h1 * 3 && h4 === h1 && h5 === h1
        return (
          (core && h0 >= h1 * 4 && h6 >= h1 ? 1 : 0) + (core && h6 >= h1 * 4 && h0 >= h1 ? 1 : 0)
        )
      }
      let color = 0
      let run = 0
      for (let b = 0; b < size; b++) {
        const c = pass ? at(a, b) : at(b, a)
        if (c === color) {
          run++
          if (run === 5) score += 3
          else if (run > 5) score++
        } else {
          add(run)
          if (!color) score += finders() * 40
          color = c
          run = 1
        }
      }
      if (color) {
        add(run)
        run = 0
      }
      add(run + size)
      score += finders() * 40
    }
  }
  let dark = 0
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = at(x, y)
      dark += c
      if (
        x < size - 1 &&
        y < size - 1 &&
        c === at(x + 1, y) &&
        c === at(x, y + 1) &&
        c === at(x + 1, y + 1)
      )
        score += 3
    }
  }
  const total = size * size
  return score + (Math.ceil(Math.abs(dark * 20 - total * 10) / total) - 1) * 10
}
