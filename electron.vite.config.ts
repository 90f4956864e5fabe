import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

/**
 * main: the Electron entry, the browser host and the worker threads are built as
 * separate entries of the same bundle (the host runs the very code Electron runs).
 * preload: one bridge, fully bundled (sandboxed preloads cannot require packages).
 * renderer: the UI and the phone-host pages, both served from out/renderer.
 */
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // The browser host drives Chromium with playwright-core, a dev dependency: never bundled.
        external: ['playwright-core'],
        input: {
          index: resolve(__dirname, 'src/main/app/index.ts'),
          host: resolve(__dirname, 'src/main/host/cli.ts'),
          'db-worker': resolve(__dirname, 'src/main/db/worker.ts'),
          'platform-worker': resolve(__dirname, 'src/main/sandbox/platform-worker.ts'),
          'dispatch-worker': resolve(__dirname, 'src/main/assistant/dispatch-worker.ts')
        }
      }
    }
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        external: ['electron']
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src'),
    base: './',
    plugins: [vue()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // The browser host serves each window exactly the files its entry pulls in, read from this manifest.
      manifest: true,
      rollupOptions: {
        input: { renderer: resolve(__dirname, 'src/renderer/index.html'), phone: resolve(__dirname, 'src/phone/index.html') }
      }
    }
  }
})
