import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/** The layer rule must fail each wrong-layer import the architecture forbids, and pass the allowed ones. */
const eslint = new ESLint({ cwd: process.cwd() })

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code + '\nexport {}\n', { filePath: file })
  return result!.messages.filter((m) => m.ruleId === 'local/layers').map((m) => m.message)
}

describe('layer lint rule', () => {
  it.each([
    ['src/main/core-x.ts', "import { app } from 'electron'", /Electron is wired only/],
    ['src/shared/x.ts', "import fs from 'node:fs'", /src\/shared|Node builtin/],
    ['src/shared/x.ts', "import { ref } from 'vue'", /runtime-free/],
    ['src/shared/x.ts', "import '../main/core'", /may not import from layer 'main'/],
    ['src/renderer/x.ts', "import fs from 'fs'", /Node builtin/],
    ['src/renderer/x.ts', "import Database from 'better-sqlite3'", /SQLite belongs/],
    ['src/renderer/x.ts', "import { UserAgent } from 'sip.js'", /sip\.js runs only/],
    ['src/renderer/x.ts', "import { x } from '../main/core'", /layer 'main'/],
    ['src/main/x.ts', "import { ElButton } from 'element-plus'", /Vue and Element Plus/],
    ['src/main/x.ts', "import { ref } from 'vue'", /Vue and Element Plus/],
    ['src/phone/x.ts', "import { ref } from 'vue'", /Vue and Element Plus/],
    ['src/phone/x.ts', "import path from 'node:path'", /Node builtin/],
    ['src/main/x.ts', "import '../platform/server'", /layer 'platform'/],
    ['src/platform/x.ts', "import '../main/core'", /layer 'main'/],
    ['src/preload/x.ts', "import '../main/core'", /layer 'main'/],
    ['src/main/x.ts', "const m = require('electron')", /Electron is wired only/]
  ])('%s: %s is an error', async (file, code, message) => {
    const errors = await layerErrors(file, code)
    expect(errors.join('\n')).toMatch(message)
  })

  it.each([
    ['src/main/app/x.ts', "import { app } from 'electron'"],
    ['src/preload/x.ts', "import { contextBridge } from 'electron'"],
    ['src/main/x.ts', "import fs from 'node:fs'; import Database from 'better-sqlite3'; import { z } from 'zod'"],
    ['src/shared/x.ts', "import { z } from 'zod'; import { ok } from './result'"],
    ['src/renderer/x.ts', "import { ref } from 'vue'; import { ok } from '../shared/result'"],
    ['src/phone/x.ts', "import { UserAgent } from 'sip.js'"],
    ['src/main/sandbox/x.ts', "import '../../platform/server'"],
    ['src/platform/x.ts', "import Fastify from 'fastify'; import fs from 'node:fs'"]
  ])('%s: %s is allowed', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([])
  })
})
