/** The training sandbox's UI text: zh-CN first, English second. */
export default {
  'zh-CN': {
    training: {
      title: '培训',
      unavailable: '模拟来电只在培训沙箱中可用。',
      live: '模拟来电',
      citizenHangup: '让来电人挂断',
      start: '开始模拟来电',
      caller: '来电人：{name}',
      attempts: '练习记录',
      noAttempts: '还没有练习记录',
      when: '时间',
      scenario: '场景',
      trainee: '学员',
      score: '得分',
      debrief: '点评',
      level: { basic: '基础', intermediate: '进阶', advanced: '高级' },
      status: { preparing: '准备中', ringing: '振铃中', talking: '通话中', ended: '已结束' },
      callbackPractice: '回访练习（外呼由模拟市民接听）',
      presented: '市民来电显示：{number}'
    }
  },
  en: {
    training: {
      title: 'Training',
      unavailable: 'Simulated calls exist only in the training sandbox.',
      live: 'Simulated call',
      citizenHangup: 'Caller hangs up',
      start: 'Start simulated call',
      caller: 'Caller: {name}',
      attempts: 'Practice record',
      noAttempts: 'No attempts yet',
      when: 'When',
      scenario: 'Scenario',
      trainee: 'Trainee',
      score: 'Score',
      debrief: 'Debrief',
      level: { basic: 'Basic', intermediate: 'Intermediate', advanced: 'Advanced' },
      status: { preparing: 'Preparing', ringing: 'Ringing', talking: 'Talking', ended: 'Ended' },
      callbackPractice: 'Callback practice (a simulated citizen answers outbound calls)',
      presented: "Caller ID on the citizen's phone: {number}"
    }
  }
}
