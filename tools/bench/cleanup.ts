// Whatever the benchmark starts (wrangler and workerd process groups, SQL endpoints, scratch
// databases) is registered here and undone on every way out: normal end, error, Ctrl-C. The
// workers run detached in their own process groups, so nothing else would stop them.

type Task = () => Promise<void>

const tasks: Task[] = []
const processGroups = new Set<number>()
let cleaning: Promise<void> | undefined

// Undone in reverse order of registration; the returned function unregisters the task once the
// caller has undone it itself.
export function deferCleanup(task: Task): () => void {
  tasks.push(task)
  return () => {
    const index = tasks.lastIndexOf(task)
    if (index >= 0) tasks.splice(index, 1)
  }
}

// A last resort for the synchronous 'exit' event, when no async clean-up can run any more.
export function trackProcessGroup(pid: number): () => void {
  processGroups.add(pid)
  return () => processGroups.delete(pid)
}

export function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    while (tasks.length > 0) {
      const task = tasks.pop()
      try {
        await task?.()
      } catch (error) {
        process.stderr.write(`bench: clean-up step failed: ${error instanceof Error ? error.message : String(error)}\n`)
      }
    }
  })()
  return cleaning
}

function killRemainingGroups(): void {
  for (const pid of processGroups) {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  processGroups.clear()
}

export function installExitHandlers(): void {
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    process.stderr.write(`\nbench: ${signal}, stopping workers and databases…\n`)
    void cleanUp().finally(() => process.exit(code))
  }
  process.once('SIGINT', () => onSignal('SIGINT', 130))
  process.once('SIGTERM', () => onSignal('SIGTERM', 143))
  process.on('exit', killRemainingGroups)
}
