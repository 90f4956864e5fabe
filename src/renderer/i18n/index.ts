import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN'
import en from './en'

/** zh-CN first, English second (the client's requirement). */
export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en }
})
