/** The phone feature's UI text: zh-CN first, English second. */
export default {
  'zh-CN': {
    phoneBar: {
      title: '话机',
      registration: '话机注册状态',
      reg: { registered: '可接听', registering: '正在注册', failed: '注册失败', hostDown: '话机未运行', notConfigured: '未配置话机' },
      retry: '重新注册',
      agentState: '坐席状态',
      agent: { 'signed-out': '已签出', ready: '空闲', 'not-ready': '忙碌', ringing: '振铃', 'in-call': '通话中', 'after-call-work': '话后整理' },
      acw: '话后整理 剩余 {s} 秒',
      reason: '置忙原因',
      controls: '通话控制',
      call: { idle: '空闲', ringing: '来电振铃', answering: '正在接听', dialing: '正在呼叫', early: '对方振铃', established: '通话中', terminating: '正在挂断', terminated: '已结束' },
      held: '已保持',
      remoteHeld: '对方保持',
      muted: '已静音',
      transferTarget: '转接号码/分机/技能组',
      blind: '直接转接',
      consult: '咨询转接',
      complete: '完成转接',
      dialNumber: '外呼号码',
      keyAnswer: '接听 (F2)',
      keyHangup: '挂断 (F4)',
      keyHold: '保持/取回 (F8)',
      mosWarning: '通话质量差（MOS {mos}），请检查网络或耳麦',
      devices: '设备',
      device: { mic: '麦克风', speaker: '扬声器', ringer: '振铃设备', default: '系统默认' },
      selfCheck: '上岗自检',
      check: { registration: '话机注册', mic: '麦克风', speaker: '扬声器', pass: '正常', fail: '异常', rtt: '往返 {ms} 毫秒', level: '麦克风音量' }
    }
  },
  en: {
    phoneBar: {
      title: 'Phone',
      registration: 'Phone registration',
      reg: { registered: 'Can take calls', registering: 'Registering', failed: 'Registration failed', hostDown: 'Phone not running', notConfigured: 'No phone configured' },
      retry: 'Register again',
      agentState: 'Agent state',
      agent: { 'signed-out': 'Signed out', ready: 'Ready', 'not-ready': 'Not ready', ringing: 'Ringing', 'in-call': 'In call', 'after-call-work': 'After-call work' },
      acw: 'After-call work: {s} s left',
      reason: 'Not-ready reason',
      controls: 'Call controls',
      call: { idle: 'Idle', ringing: 'Ringing', answering: 'Answering', dialing: 'Dialing', early: 'Remote ringing', established: 'In call', terminating: 'Hanging up', terminated: 'Ended' },
      held: 'On hold',
      remoteHeld: 'Held by caller',
      muted: 'Muted',
      transferTarget: 'Number, extension or skill group',
      blind: 'Blind transfer',
      consult: 'Consult first',
      complete: 'Complete transfer',
      dialNumber: 'Number to dial',
      keyAnswer: 'Answer (F2)',
      keyHangup: 'Hang up (F4)',
      keyHold: 'Hold/retrieve (F8)',
      mosWarning: 'Poor call quality (MOS {mos}): check the network or headset',
      devices: 'Devices',
      device: { mic: 'Microphone', speaker: 'Speaker', ringer: 'Ringer', default: 'System default' },
      selfCheck: 'Pre-shift self-check',
      check: { registration: 'Registration', mic: 'Microphone', speaker: 'Speaker', pass: 'OK', fail: 'Problem', rtt: 'round trip {ms} ms', level: 'Microphone level' }
    }
  }
}
