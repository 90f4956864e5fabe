/** The phone feature's UI text: zh-CN first, English second. */
export default {
  'zh-CN': { phoneBar: { title: '话机' } },
  en: { phoneBar: { title: 'Phone' } }
}
