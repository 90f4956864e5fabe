import type { AreaRef } from '../../shared/api'
import type { Db } from '../db/open-database'
import { errors } from '../http/api-error'

/** Checks of references the schema cannot know (they live in the database), as field errors. */
export function checkCategory(db: Db, categoryId: string, path = 'categoryId'): void {
  const row = db.prepare('SELECT level FROM categories WHERE id = ?').get(categoryId) as { level: number } | undefined
  if (!row) throw errors.field(path, `分类 ${categoryId} 不存在`, `category ${categoryId} does not exist`)
  if (row.level !== 3) throw errors.field(path, '请选择到第三级分类', 'choose a level-3 category')
}

export function checkArea(db: Db, area: AreaRef, path = 'area.town'): void {
  if (area.town === null) return
  const row = db.prepare('SELECT 1 FROM towns WHERE district = ? AND name = ?').get(area.district, area.town)
  if (!row) throw errors.field(path, `${area.district}没有“${area.town}”这个乡镇/街道`, `${area.town} is not a town or street of ${area.district}`)
}

export function checkDepartment(db: Db, departmentId: string, path: string): string {
  const row = db.prepare('SELECT name FROM departments WHERE id = ?').get(departmentId) as { name: string } | undefined
  if (!row) throw errors.field(path, `承办单位 ${departmentId} 不存在`, `department ${departmentId} does not exist`)
  return row.name
}
