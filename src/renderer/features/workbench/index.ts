export { default as WorkbenchView } from './WorkbenchView.vue'
