/** Shared by the workbench bench parts. */
export const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!
export const round = (x: number): number => Math.round(x * 1000) / 1000
