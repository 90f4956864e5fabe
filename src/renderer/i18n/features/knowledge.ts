/** The knowledge feature's UI text: zh-CN first, English second. */
export default {
  'zh-CN': { knowledgePanel: { title: '知识库' }, callbacks: { title: '回访' } },
  en: { knowledgePanel: { title: 'Knowledge' }, callbacks: { title: 'Callbacks' } }
}
