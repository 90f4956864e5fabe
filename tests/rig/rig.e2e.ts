import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startRig, sipOptionsPing } from './rig'

test('rig: Kamailio and rtpengine start on loopback, answer, restart and stop', { timeout: 30_000 }, async () => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rig-'))
  const t0 = Date.now()
  const rig = await startRig({ runDir, auth: true, rtpengine: true })
  const startMs = Date.now() - t0
  try {
    assert.equal(rig.wsUrl, 'ws://127.0.0.1:8088')
    assert.ok(await sipOptionsPing(rig.udp.port))
    const t1 = Date.now()
    await rig.restart()
    const restartMs = Date.now() - t1
    assert.ok(await sipOptionsPing(rig.udp.port))
    console.log(`rig start ${startMs} ms, Kamailio restart ${restartMs} ms`)
  } finally {
    await rig.stop()
  }
  assert.equal(await sipOptionsPing(5060, 200), false)
})
