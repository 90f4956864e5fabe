import type { AreaListResponse, Department } from '../../shared/api'
import type { z } from 'zod'
import type { Db } from '../db/open-database'
import { errors } from '../http/api-error'
import type { Handlers } from '../http/handler-types'

interface DepartmentRow {
  id: string
  name: string
  kind: Department['kind']
  phone: string
  address: string
  office_hours: string
}

function withDuties(db: Db, d: DepartmentRow): Department {
  const duties = db.prepare('SELECT id, text, keywords FROM duty_clauses WHERE department_id = ? ORDER BY id').all(d.id) as { id: number; text: string; keywords: string }[]
  return {
    id: d.id,
    name: d.name,
    kind: d.kind,
    phone: d.phone,
    address: d.address,
    officeHours: d.office_hours,
    duties: duties.map((c) => ({ id: c.id, text: c.text, keywords: JSON.parse(c.keywords) as string[] }))
  }
}

export const referenceHandlers = {
  listAreas: ({ ctx }) => {
    const districts = ctx.db.prepare('SELECT name FROM districts ORDER BY sort').all() as { name: z.infer<typeof AreaListResponse>['districts'][number]['name'] }[]
    const towns = ctx.db.prepare('SELECT name, kind FROM towns WHERE district = ? ORDER BY sort')
    return { districts: districts.map((d) => ({ name: d.name, towns: towns.all(d.name) as { name: string; kind: '街道' | '镇' | '乡' }[] })) }
  },
  listCategories: ({ ctx }) => ({
    items: (
      ctx.db.prepare('SELECT id, parent_id, level, name, default_department_id FROM categories ORDER BY level, sort').all() as {
        id: string
        parent_id: string | null
        level: number
        name: string
        default_department_id: string | null
      }[]
    ).map((c) => ({ id: c.id, parentId: c.parent_id, level: c.level, name: c.name, defaultDepartmentId: c.default_department_id }))
  }),
  listDepartments: ({ ctx }) => ({
    items: (ctx.db.prepare('SELECT * FROM departments ORDER BY kind, name').all() as DepartmentRow[]).map((d) => withDuties(ctx.db, d))
  }),
  getDepartment: ({ ctx, params }) => {
    const row = ctx.db.prepare('SELECT * FROM departments WHERE id = ?').get(params.departmentId) as DepartmentRow | undefined
    if (!row) throw errors.notFound('承办单位', 'department')
    return withDuties(ctx.db, row)
  },
  listYellowPages: ({ ctx }) => ({
    items: (ctx.db.prepare('SELECT * FROM departments ORDER BY kind, name').all() as DepartmentRow[]).map((d) => ({
      departmentId: d.id,
      name: d.name,
      phone: d.phone,
      address: d.address,
      officeHours: d.office_hours
    }))
  }),
  listReplyTemplates: ({ ctx }) => ({
    items: (ctx.db.prepare('SELECT id, title, category_id, body FROM reply_templates ORDER BY id').all() as { id: number; title: string; category_id: string | null; body: string }[]).map(
      (t) => ({ id: t.id, title: t.title, categoryId: t.category_id, body: t.body })
    )
  })
} satisfies Partial<Handlers>
