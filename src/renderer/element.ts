import type { App } from 'vue'
import {
  ElAlert,
  ElButton,
  ElCard,
  ElConfigProvider,
  ElContainer,
  ElDescriptions,
  ElDescriptionsItem,
  ElDrawer,
  ElEmpty,
  ElForm,
  ElFormItem,
  ElHeader,
  ElInput,
  ElMain,
  ElTabPane,
  ElTabs,
  ElTag
} from 'element-plus'

/**
 * The Element Plus components the workbench uses, registered by name. Listing
 * them (instead of `app.use(ElementPlus)`) lets the bundler drop the rest:
 * the UI loads faster on the modest Phytium/Kunpeng desktops agents use.
 */
const components = [ElAlert, ElButton, ElCard, ElConfigProvider, ElContainer, ElDescriptions, ElDescriptionsItem, ElDrawer, ElEmpty, ElForm, ElFormItem, ElHeader, ElInput, ElMain, ElTabPane, ElTabs, ElTag]

export function installElement(app: App): void {
  for (const c of components) app.use(c)
}
