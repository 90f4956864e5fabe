import type zh from './zh-CN'

const en: typeof zh = {
  common: { pending: '{name} is not available yet' },
  app: { title: 'Yulin 12345 Agent Desktop', sandbox: 'Training sandbox', production: 'Production' },
  login: {
    title: 'Agent sign-in',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    usernameRequired: 'Enter your username',
    passwordRequired: 'Enter your password',
    sandboxHint: 'Sandbox accounts: agent01, agent02, lead01, qa01, trainer01, admin01; password: sandbox. Sandbox data never syncs to production.'
  },
  shell: {
    logout: 'Sign out',
    workbench: 'Workbench',
    platform: 'Platform',
    phoneHost: 'Phone',
    seat: 'Seat',
    role: 'Role',
    language: '中文',
    notices: 'Notices',
    noNotices: 'No notices',
    welcome: 'Welcome, {name}',
    revision: 'State revision {revision}'
  },
  sync: {
    title: 'Sync status',
    pending: '{n} waiting to sync',
    settled: 'All synced',
    problems: 'Sync problems {n}',
    drawerTitle: 'Changes the platform did not take',
    none: 'No sync problems',
    kind: { rejected: 'Refused', conflict: 'Version conflict' },
    field: 'Field',
    mine: 'My change',
    theirs: 'Platform now (version {v})',
    overwrite: 'Resubmit mine over theirs',
    retry: 'Send again',
    discard: 'Discard my change'
  },
  connectivity: { online: 'Online', degraded: 'Degraded', offline: 'Offline' },
  phoneHost: { starting: 'Starting', alive: 'Ready', lost: 'Lost, restarting' },
  status: { loading: 'Connecting to the desktop core…', coreUnavailable: 'Cannot reach the desktop core: {message}' }
}
export default en
