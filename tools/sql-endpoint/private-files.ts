// Keeping a database directory to its owner. PGlite copies its initial data directory in with an
// explicit chmod to 0666 (and rewrites pg_internal.init as 0644 on later starts), so neither the
// umask nor the directory's own mode at creation is enough: the modes are also tightened after
// the fact. The directory itself is 0700, so nobody else can reach what lies inside anyway.
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'

// Group and other permission bits.
const NOT_OWNER = 0o077

// Creates `dir` (and missing parents) as 0700, or tightens an existing one to 0700.
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await chmod(dir, 0o700)
}

// Clears the group and other bits of everything under `dir` (symbolic links are left alone, and
// not followed). A file that disappears meanwhile is no error.
export async function tightenTree(dir: string): Promise<void> {
  const entries = await ignoreMissing(readdir(dir, { withFileTypes: true }))
  await Promise.all(
    (entries ?? []).map(async (entry) => {
      const path = join(dir, entry.name)
      if (entry.isSymbolicLink()) return
      const stats = await ignoreMissing(lstat(path))
      if (stats === undefined) return
      if ((stats.mode & NOT_OWNER) !== 0)
        await ignoreMissing(chmod(path, stats.mode & 0o7777 & ~NOT_OWNER))
      if (stats.isDirectory()) await tightenTree(path)
    })
  )
}

async function ignoreMissing<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
