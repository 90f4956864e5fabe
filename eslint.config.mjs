import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'
import globals from 'globals'
import layers from './eslint-rules/layers.mjs'
import importCycles from './eslint-rules/import-cycles.mjs'

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/essential'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module', extraFileExtensions: ['.vue'] } }
  },
  {
    languageOptions: { globals: { ...globals.es2022 } },
    plugins: { local: { rules: { layers, 'import-cycles': importCycles } } },
    rules: {
      'local/layers': 'error',
      'local/import-cycles': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.name='eval']", message: 'eval is forbidden (CSP forbids it too).' }],
      'vue/multi-word-component-names': 'off'
    }
  },
  { files: ['src/renderer/**', 'src/phone/**'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['src/main/**', 'src/platform/**', 'scripts/**', 'tests/**', 'eslint-rules/**', '*.config.*', '.ci/**'], languageOptions: { globals: { ...globals.node } } },
  { files: ['src/preload/**'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['**/*.test.ts', 'tests/**'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } }
)
