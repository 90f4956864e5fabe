/** Polls `fn` every 100 ms until it answers something truthy; fails naming `what` after `ms`. */
export async function until<T>(what: string, fn: () => Promise<T | null | false | undefined> | T | null | false | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
