/** Call recordings (录音): zh-CN first, English second. */
export default {
  'zh-CN': {
    recordings: {
      title: '录音',
      refresh: '刷新',
      empty: '本机还没有通话录音',
      disabled: '通话录音已在配置中关闭，新通话不会录音。',
      retention: '已上传的录音在本机保留 {days} 天，平台另存一份。',
      when: '通话时间',
      direction: '方向',
      inbound: '呼入',
      outbound: '呼出',
      number: '号码',
      agent: '坐席',
      duration: '时长',
      size: '大小',
      status: '状态',
      actions: '操作',
      play: '播放',
      remove: '删除',
      playing: '正在回放：{when} {number}',
      confirmRemove: '删除后本机和平台上的这段录音都无法恢复，确定删除？',
      confirmTitle: '删除录音',
      removed: '录音已删除',
      states: { recording: '录音中', finalised: '待上传', uploaded: '已上传', rejected: '上传被拒' },
      localGone: '本机已清理',
      source: '来源',
      sources: { local: '本机', platform: '平台' },
      platformUnavailable: '暂时无法读取平台上的录音，只列出本机录音。'
    }
  },
  en: {
    recordings: {
      title: 'Recordings',
      refresh: 'Refresh',
      empty: 'No call recordings on this desk yet',
      disabled: 'Call recording is switched off in the configuration: new calls are not recorded.',
      retention: 'Uploaded recordings are kept here for {days} days; the platform keeps its own copy.',
      when: 'Call time',
      direction: 'Direction',
      inbound: 'Inbound',
      outbound: 'Outbound',
      number: 'Number',
      agent: 'Agent',
      duration: 'Length',
      size: 'Size',
      status: 'Status',
      actions: 'Actions',
      play: 'Play',
      remove: 'Delete',
      playing: 'Playing: {when} {number}',
      confirmRemove: 'This deletes the recording here and on the platform, for good. Delete it?',
      confirmTitle: 'Delete recording',
      removed: 'Recording deleted',
      states: { recording: 'Recording', finalised: 'Waiting to upload', uploaded: 'Uploaded', rejected: 'Upload refused' },
      localGone: 'Local copy removed',
      source: 'Source',
      sources: { local: 'This desk', platform: 'Platform' },
      platformUnavailable: 'The platform\'s recordings cannot be read now: only this desk\'s are listed.'
    }
  }
}
