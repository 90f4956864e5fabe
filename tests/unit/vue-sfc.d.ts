// Component tests import .vue files; tsc (tsconfig.test.json) has no SFC support, so it sees them as components.
// vue-tsc checks the components themselves (tsconfig.web.json).
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<Record<string, unknown>, Record<string, unknown>, unknown>
  export default component
}
