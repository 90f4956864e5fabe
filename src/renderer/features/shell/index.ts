export { default as ShellView } from './ShellView.vue'
