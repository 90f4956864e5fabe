import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN'
import en from './en'
import phone from './features/phone'
import workbench from './features/workbench'
import knowledge from './features/knowledge'
import assistant from './features/assistant'
import training from './features/training'
import recordings from './features/recordings'

// Each feature keeps its own text (features/*.ts) under its own top-level keys.
const features = [phone, workbench, knowledge, assistant, training, recordings]

/** Every text the UI shows, by language: zh-CN first, English second (the client's requirement). */
export const messages = {
  'zh-CN': Object.assign({}, zhCN, ...features.map((f) => f['zh-CN'])),
  en: Object.assign({}, en, ...features.map((f) => f.en))
}

export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages
})
