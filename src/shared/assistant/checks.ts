/**
 * Checks before a ticket is submitted (提交前校验): required fields, the area against the address, the category
 * against the department, and the dispatch model's opinion. Pure: the reference data (areas, categories,
 * departments and which departments handle which category) is passed in. Every issue says what is wrong in
 * Chinese first and English second, and whether it blocks ('error') or only warns.
 */

export interface CheckDraft {
  content: string
  /** Category path (level-1..3 ids); the last element is the level-3 id. */
  category: readonly string[]
  department: string | null
  /** [district, town] names. */
  area: readonly string[]
  address: string
  callerPhone: string
  anonymous: boolean
}

export interface CheckReference {
  categories: readonly { id: string; parentId: string | null; level: number; name: string; defaultDepartmentId: string | null }[]
  departments: readonly { id: string; name: string }[]
  districts: readonly { name: string; towns: readonly string[] }[]
  /** Level-3 category id → the departments that handle it (the default one plus those seen in past tickets). */
  categoryDepartments: Readonly<Record<string, readonly string[]>>
}

export interface ModelOpinion {
  categoryId: string
  categoryName: string
  confidence: number
  abstain: boolean
}

export type CheckField = 'content' | 'category' | 'department' | 'area' | 'address' | 'callerPhone'

export interface CheckIssue {
  field: CheckField
  code: string
  severity: 'error' | 'warning'
  zh: string
  en: string
}

const MIN_CONTENT_CHARS = 5
const PHONE = /^(?:\+?86)?(?:1\d{10}|0\d{2,3}-?\d{7,8})$/

function compactText(s: string): string {
  return s.replace(/[\s\p{P}\p{S}]+/gu, '')
}

/** Districts and towns named in an address, each with the district it belongs to. */
export function placesInAddress(address: string, districts: CheckReference['districts']): { name: string; district: string; kind: 'district' | 'town' }[] {
  const out: { name: string; district: string; kind: 'district' | 'town' }[] = []
  for (const d of districts) {
    if (address.includes(d.name)) out.push({ name: d.name, district: d.name, kind: 'district' })
    for (const t of d.towns) if (t.length >= 2 && address.includes(t)) out.push({ name: t, district: d.name, kind: 'town' })
  }
  return out
}

export function checkDraft(draft: CheckDraft, ref: CheckReference, opinion?: ModelOpinion | null): CheckIssue[] {
  const issues: CheckIssue[] = []
  const add = (field: CheckField, code: string, severity: CheckIssue['severity'], zh: string, en: string): void => {
    issues.push({ field, code, severity, zh, en })
  }

  // Required fields.
  if (compactText(draft.content).length < MIN_CONTENT_CHARS) add('content', 'content-required', 'error', `请填写诉求内容（至少 ${MIN_CONTENT_CHARS} 个字）`, `Enter the request (at least ${MIN_CONTENT_CHARS} characters)`)
  const leafId = draft.category.at(-1)
  const leaf = leafId ? ref.categories.find((c) => c.id === leafId) : undefined
  if (!leafId) add('category', 'category-required', 'error', '请选择诉求分类（三级归口）', 'Choose the category (three levels)')
  else if (!leaf || leaf.level !== 3) add('category', 'category-not-leaf', 'error', '诉求分类须选到第三级', 'Choose a level-3 category')
  if (!draft.department) add('department', 'department-required', 'error', '请选择承办单位', 'Choose the responsible department')
  else if (!ref.departments.some((d) => d.id === draft.department)) add('department', 'department-unknown', 'error', `承办单位 ${draft.department} 不存在`, `Unknown department ${draft.department}`)
  const [district, town] = draft.area
  if (!district) add('area', 'area-required', 'error', '请选择所属区域（县区）', 'Choose the district')
  if (!draft.anonymous) {
    if (draft.callerPhone.trim() === '') add('callerPhone', 'phone-required', 'error', '非匿名来电须登记联系电话', 'A non-anonymous ticket needs the caller phone')
    // A masked number (138****5678) is what some roles see: it was checked where it was entered.
    else if (!draft.callerPhone.includes('*') && !PHONE.test(draft.callerPhone.replace(/[\s-]/g, '')))
      add('callerPhone', 'phone-format', 'warning', `联系电话“${draft.callerPhone}”格式不正确`, `The phone number "${draft.callerPhone}" looks wrong`)
  }

  // Area against address: the address must not name another district, or a town of another district.
  if (district && draft.address.trim() !== '') {
    const places = placesInAddress(draft.address, ref.districts)
    const elsewhere = places.find((p) => p.district !== district)
    if (elsewhere) {
      add(
        'address',
        'address-area-mismatch',
        'warning',
        `地址中的“${elsewhere.name}”属于${elsewhere.district}，与所选区域“${district}”不一致`,
        `The address names ${elsewhere.name} in ${elsewhere.district}, but the area chosen is ${district}`
      )
    } else if (town) {
      const otherTown = places.find((p) => p.kind === 'town' && p.name !== town && !p.name.includes(town) && !town.includes(p.name))
      if (otherTown) add('address', 'address-town-mismatch', 'warning', `地址中的“${otherTown.name}”与所选乡镇街道“${town}”不一致`, `The address names ${otherTown.name}, but the town chosen is ${town}`)
    }
  }

  // Category against department.
  if (leaf && leaf.level === 3 && draft.department) {
    const allowed = ref.categoryDepartments[leaf.id] ?? (leaf.defaultDepartmentId ? [leaf.defaultDepartmentId] : [])
    if (allowed.length > 0 && !allowed.includes(draft.department)) {
      const names = allowed.map((id) => ref.departments.find((d) => d.id === id)?.name ?? id).join('、')
      const chosen = ref.departments.find((d) => d.id === draft.department)?.name ?? draft.department
      add('department', 'category-department-mismatch', 'warning', `“${leaf.name}”类诉求通常由${names}承办，所选为${chosen}，请确认`, `"${leaf.name}" is usually handled by ${names}, not ${chosen}: please confirm`)
    }
  }

  // The model's opinion, only when it is confident: a second look, never a block.
  if (opinion && !opinion.abstain && leaf && opinion.categoryId !== leaf.id) {
    const pct = Math.round(opinion.confidence * 100)
    add('category', 'model-disagrees', 'warning', `智能派单建议“${opinion.categoryName}”（置信度 ${pct}%），与所选分类不同，请复核`, `The dispatch model suggests "${opinion.categoryName}" (${pct} %), not the category chosen: please review`)
  }
  return issues
}
