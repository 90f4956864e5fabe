/**
 * CPU time spent by the agent's side of bench:phone (processes pinned to CPU 0) in a window, per kind of process,
 * from /proc/<pid>/task/<tid>/schedstat (ns of run time; load-independent, unlike wall-clock latency).
 */
import fs from 'node:fs'

function kindOf(pid: number): string | null {
  let cmd: string
  try {
    cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
  } catch {
    return null
  }
  if (/chrom/i.test(cmd)) {
    const t = /--type=(\S+)/.exec(cmd)?.[1]
    if (!t) return 'browser'
    if (t === 'utility') return `utility:${/--utility-sub-type=(\S+)/.exec(cmd)?.[1] ?? '?'}`.replace(/\.mojom\.\w+$/, '')
    return t
  }
  if (/node/.test(cmd) && /host/.test(cmd)) return 'node-host'
  if (/node/.test(cmd)) return 'node'
  return null
}

function onCpu0(pid: number): boolean {
  try {
    return /^Cpus_allowed_list:\s*0\s*$/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
  } catch {
    return false
  }
}

/** ns of CPU per process (pid → {kind, ns}) for every process pinned to CPU 0. */
export function cpuSnapshot(): Map<number, { kind: string; ns: number }> {
  const out = new Map<number, { kind: string; ns: number }>()
  for (const d of fs.readdirSync('/proc')) {
    const pid = Number(d)
    if (!Number.isInteger(pid) || !onCpu0(pid)) continue
    const kind = kindOf(pid)
    if (!kind) continue
    let ns = 0
    try {
      for (const tid of fs.readdirSync(`/proc/${pid}/task`)) ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0])
    } catch {
      continue
    }
    out.set(pid, { kind, ns })
  }
  return out
}

/**
 * ms of CPU between two snapshots per kind of process; renderers one by one, busiest first (renderer#1 is the
 * page doing the most: the phone host or the bare page; on the desk, renderer#2 is then the UI).
 */
export function cpuDelta(a: Map<number, { kind: string; ns: number }>, b: Map<number, { kind: string; ns: number }>): Record<string, number> {
  const byKind = new Map<string, number>()
  const renderers: number[] = []
  for (const [pid, v] of b) {
    const ms = (v.ns - (a.get(pid)?.ns ?? v.ns)) / 1e6
    if (v.kind === 'renderer') renderers.push(ms)
    else byKind.set(v.kind, (byKind.get(v.kind) ?? 0) + ms)
  }
  renderers.sort((x, y) => y - x).forEach((ms, k) => byKind.set(`renderer#${k + 1}`, ms))
  return Object.fromEntries([...byKind].filter(([, ms]) => ms >= 0.5).map(([k, ms]) => [k, Math.round(ms * 10) / 10]))
}

/** Median per kind over rounds (a kind missing from a round counts as 0 there). */
export function cpuMedians(rounds: Record<string, number>[]): Record<string, number> {
  const kinds = new Set(rounds.flatMap((r) => Object.keys(r)))
  const out: Record<string, number> = {}
  for (const k of kinds) {
    const xs = rounds.map((r) => r[k] ?? 0).sort((x, y) => x - y)
    out[k] = xs[Math.floor(xs.length / 2)]!
  }
  return out
}
