/// <reference types="vite/client" />
import type { PreloadDesk } from '../shared/ipc/preload-transport'

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

declare global {
  interface Window {
    /** Present only under Electron (the preload bridge); the browser host uses a WebSocket instead. */
    desk?: PreloadDesk
  }
}
