/** The workbench feature's UI text: zh-CN first, English second. */
export default {
  'zh-CN': { workbench: { intakeTab: '受理', intake: '工单受理' } },
  en: { workbench: { intakeTab: 'Intake', intake: 'Ticket intake' } }
}
