/**
 * NDCG@k (normalised discounted cumulative gain), the ranking-quality figure of
 * the knowledge bench: graded relevance, gain 2^rel − 1, log2 position discount
 * (Järvelin & Kekäläinen 2002, the form TREC and most IR libraries use).
 */
export function dcgAtK(gains: readonly number[], k: number): number {
  let dcg = 0
  for (let i = 0; i < Math.min(k, gains.length); i++) dcg += (2 ** gains[i]! - 1) / Math.log2(i + 2)
  return dcg
}

/**
 * @param ranked ids as the engine returned them, best first
 * @param relevance id → graded relevance (absent = 0)
 * @returns 0..1; 0 when nothing is relevant (such a query says nothing about ranking; callers skip it)
 */
export function ndcgAtK<Id>(ranked: readonly Id[], relevance: ReadonlyMap<Id, number>, k: number): number {
  const ideal = [...relevance.values()].filter((r) => r > 0).sort((a, b) => b - a)
  const idcg = dcgAtK(ideal, k)
  if (idcg === 0) return 0
  return dcgAtK(ranked.slice(0, k).map((id) => relevance.get(id) ?? 0), k) / idcg
}

/** The p-th percentile (0–100) by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (!samples.length) return NaN
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}
