// Whatever the benchmark starts (workers under workerd, SQL endpoints, scratch databases, built
// bundles) is registered here and undone on every way out: normal end, error, Ctrl-C.

type Task = () => Promise<void>

const tasks: Task[] = []
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

export function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    while (tasks.length > 0) {
      const task = tasks.pop()
      try {
        await task?.()
      } catch (error) {
        process.stderr.write(
          `bench: clean-up step failed: ${error instanceof Error ? error.message : String(error)}\n`
        )
      }
    }
  })()
  return cleaning
}

export function installExitHandlers(): void {
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    process.stderr.write(`\nbench: ${signal}, stopping workers and databases…\n`)
    void cleanUp().finally(() => process.exit(code))
  }
  process.once('SIGINT', () => onSignal('SIGINT', 130))
  process.once('SIGTERM', () => onSignal('SIGTERM', 143))
}
