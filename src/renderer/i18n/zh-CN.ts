export default {
  common: { pending: '{name}功能尚未启用' },
  app: { title: '玉林12345坐席工作台', sandbox: '培训沙箱', production: '生产环境' },
  login: {
    title: '坐席登录',
    username: '工号',
    password: '密码',
    submit: '登录',
    usernameRequired: '请输入工号',
    passwordRequired: '请输入密码',
    sandboxHint: '培训沙箱账号：agent01、agent02、lead01、qa01、trainer01、admin01，密码均为 sandbox。沙箱数据不会同步到生产平台。'
  },
  shell: {
    logout: '退出登录',
    workbench: '工作台',
    platform: '热线平台',
    phoneHost: '话机',
    seat: '座席',
    role: '角色',
    language: 'English',
    notices: '系统提示',
    noNotices: '暂无提示',
    welcome: '欢迎，{name}',
    revision: '状态版本 {revision}'
  },
  sync: {
    title: '同步状态',
    pending: '待同步 {n} 条',
    settled: '已同步',
    problems: '同步问题 {n}',
    drawerTitle: '未能同步到平台的变更',
    none: '没有待处理的同步问题',
    kind: { rejected: '平台拒收', conflict: '版本冲突' },
    field: '字段',
    mine: '我的修改',
    theirs: '平台当前（版本 {v}）',
    overwrite: '以我的为准重新提交',
    retry: '重新发送',
    discard: '放弃我的修改'
  },
  connectivity: {
    online: '在线',
    degraded: '不稳定',
    offline: '离线',
    connecting: '正在连接平台…',
    roundTrip: '往返 {ms} ms',
    platformError: '平台响应异常',
    unreachable: '无法连接平台：{reason}',
    syncing: '同步正常',
    syncRetrying: '平台暂时无法处理，稍后重试',
    syncUnreachable: '同步失败：无法连接平台'
  },
  notice: {
    databaseMissing: '本地数据库文件 {file} 已丢失，已新建空库；未同步的草稿可能需要从平台恢复。',
    databaseCorrupt: '本地数据库已损坏，原文件已保存为 {copy}，并已新建空库。',
    keyBesideData: '本机数据密钥保存在数据旁的文件中（security.keyStorage = local-file），仅受文件权限保护。',
    updateAvailable: '新版本 {version} 已发布，请联系管理员通过软件源升级（deb 包不会由本程序以 root 身份安装）。',
    updateDownloaded: '新版本 {version} 已下载，退出后自动安装。',
    recordingsUnreadable: '录音目录无法读取，未完成的录音稍后重试',
    micRestored: '麦克风已恢复，对方可以听到您的声音',
    scenariosInvalid: '培训场景文件无效：{path} {problem}'
  },
  phoneHost: { starting: '启动中', alive: '就绪', lost: '异常，正在重启' },
  status: { loading: '正在连接工作台核心…', coreUnavailable: '无法连接工作台核心：{message}' }
}
