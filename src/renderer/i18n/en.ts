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
  connectivity: {
    online: 'Online',
    degraded: 'Degraded',
    offline: 'Offline',
    connecting: 'Connecting to the platform…',
    roundTrip: 'round trip {ms} ms',
    platformError: 'The platform answered with an error',
    unreachable: 'Cannot reach the platform: {reason}',
    syncing: 'Syncing',
    syncRetrying: 'The platform is busy; retrying shortly',
    syncUnreachable: 'Sync failed: the platform cannot be reached'
  },
  notice: {
    databaseMissing: 'The local database {file} was missing and has been recreated empty; unsynced drafts may need restoring from the platform.',
    databaseCorrupt: 'The local database was corrupt; a safe copy was kept at {copy} and a new one created.',
    keyBesideData: 'The data key is kept in a file beside the data (security.keyStorage = local-file), protected by file permissions only.',
    updateAvailable: 'Version {version} is available; your administrator installs it through the package sources (this app never installs a deb as root).',
    updateDownloaded: 'Version {version} has been downloaded and installs when you quit.',
    recordingsUnreadable: 'The recordings folder cannot be read; unfinished recordings will be retried',
    micRestored: 'Microphone back: the other party hears you again',
    scenariosInvalid: 'The training scenarios file is invalid: {path} {problem}'
  },
  phoneHost: { starting: 'Starting', alive: 'Ready', lost: 'Lost, restarting' },
  status: { loading: 'Connecting to the desktop core…', coreUnavailable: 'Cannot reach the desktop core: {message}' }
}
export default en
