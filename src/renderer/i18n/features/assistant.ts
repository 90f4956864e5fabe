/** The assistant feature's UI text: zh-CN first, English second. */
export default {
  'zh-CN': { assistantPanel: { title: '坐席助手' } },
  en: { assistantPanel: { title: 'Seat assistant' } }
}
