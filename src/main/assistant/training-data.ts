import type { Department, DispatchCorpusItem } from '../../shared/api'
import { foldOverrides, type DutyEntry, type OverrideRecord, type TrainingTicket } from '../../shared/dispatch'

export interface CategoryNode {
  id: string
  parentId: string | null
  level: number
  name: string
  defaultDepartmentId: string | null
}

/** Level-3 category id → [l1, l2, l3] ids and names. */
export function categoryPaths(categories: readonly CategoryNode[]): Map<string, { ids: string[]; names: string[] }> {
  const byId = new Map(categories.map((c) => [c.id, c]))
  const out = new Map<string, { ids: string[]; names: string[] }>()
  for (const c of categories) {
    if (c.level !== 3) continue
    const chain: CategoryNode[] = []
    for (let n: CategoryNode | undefined = c; n; n = n.parentId ? byId.get(n.parentId) : undefined) chain.unshift(n)
    out.set(c.id, { ids: chain.map((n) => n.id), names: chain.map((n) => n.name) })
  }
  return out
}

/**
 * What the desk's model learns from: the platform's filed tickets (content → level-3 category, lead department;
 * a direct answer counts for the category's usual department), one short example per category from its own
 * names (so a category without history can still be suggested), the agents' recorded choices (an override
 * weighs more), and the departments' duty list (职责清单) for the department head.
 */
export function buildTrainingSet(
  corpus: readonly DispatchCorpusItem[],
  categories: readonly CategoryNode[],
  departments: readonly Pick<Department, 'id' | 'name' | 'duties'>[],
  feedback: readonly OverrideRecord[]
): { tickets: TrainingTicket[]; duty: DutyEntry[] } {
  const leaves = new Map(categories.filter((c) => c.level === 3).map((c) => [c.id, c]))
  const paths = categoryPaths(categories)
  const history: TrainingTicket[] = []
  for (const item of corpus) {
    const leaf = leaves.get(item.categoryId)
    if (!leaf || item.content.trim() === '') continue
    const t: TrainingTicket = { id: String(item.id), text: item.content, label: item.categoryId }
    const department = item.departmentId ?? leaf.defaultDepartmentId
    if (department) t.department = department
    history.push(t)
  }
  for (const [id, leaf] of leaves) {
    // Joined with a comma, not spaces: spaces between Chinese words would read as pre-segmented text.
    const t: TrainingTicket = { id: `category:${id}`, text: paths.get(id)!.names.join('，'), label: id }
    if (leaf.defaultDepartmentId) t.department = leaf.defaultDepartmentId
    history.push(t)
  }
  const known = feedback.filter((r) => leaves.has(r.chosen.category))
  const tickets = foldOverrides(history, known)
  const duty: DutyEntry[] = departments
    .filter((d) => d.duties.length > 0)
    .map((d) => ({
      departmentId: d.id,
      name: d.name,
      clauses: d.duties.map((c) => (c.keywords.length ? `${c.text}（${c.keywords.join('、')}）` : c.text))
    }))
  return { tickets, duty }
}

/** Level-3 category id → departments that handle it: the usual one plus every lead department seen in history. */
export function categoryDepartmentMap(corpus: readonly DispatchCorpusItem[], categories: readonly CategoryNode[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const c of categories) if (c.level === 3 && c.defaultDepartmentId) out[c.id] = [c.defaultDepartmentId]
  for (const item of corpus) {
    if (!item.departmentId || !out[item.categoryId]) continue
    if (!out[item.categoryId]!.includes(item.departmentId)) out[item.categoryId]!.push(item.departmentId)
  }
  return out
}
