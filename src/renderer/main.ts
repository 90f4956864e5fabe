import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/dist/index.css'
import './styles/base.css'
import App from './App.vue'
import { i18n } from './i18n'
import { installElement } from './element'

const app = createApp(App).use(createPinia()).use(i18n)
installElement(app)
app.mount('#app')
