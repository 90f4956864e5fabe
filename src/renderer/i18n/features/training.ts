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
      presented: '市民来电显示：{number}',
      ended: {
        timedOut: '超时未完成',
        byTrainer: '培训师结束',
        noScenario: '话机端没有这个场景：{id}',
        agentNotRegistered: '坐席话机未注册到培训交换机',
        sipStatus: '{status}',
        failed: '{reason}'
      }
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
      presented: "Caller ID on the citizen's phone: {number}",
      ended: {
        timedOut: 'Timed out',
        byTrainer: 'Ended by the trainer',
        noScenario: 'The phone has no such scenario: {id}',
        agentNotRegistered: 'The agent phone is not registered in the sandbox',
        sipStatus: '{status}',
        failed: '{reason}'
      }
    }
  }
}
