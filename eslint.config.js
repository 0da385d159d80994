import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', '.bench-cache/**', 'node_modules/**', 'release/**', 'test-results/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly',
        clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
        setImmediate: 'readonly', URL: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly',
        window: 'readonly', document: 'readonly', navigator: 'readonly', performance: 'readonly',
        requestAnimationFrame: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The notebook core is pure: no Node I/O, so it can run anywhere (tests, renderer, workers).
    files: ['main/notebook/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:fs*', 'fs', 'node:child_process', 'child_process', 'node:net', 'net', 'node-pty', '../run/*', '../targets/*', '../host/*'] }],
    },
  },
  {
    // Targets know nothing of notebooks (DESIGN: imports go down only).
    files: ['main/targets/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['../notebook/*', '../run/*', '../host/*'] }],
    },
  },
  {
    // The inventory is below the engine: run, the terminal and the UI read it; it reads no one above it.
    files: ['main/inventory/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['../run/*', '../targets/*', '../host/*', '../terminals/*'] }],
    },
  },
  {
    // shared/ is imported by main and by the renderer (which bundles it): pure, no Node, no DOM, and it imports only its own modules.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./[^/]+$)', message: 'shared/ imports only its own modules (main and the renderer both load it)' }] }],
    },
  },
  {
    files: ['renderer/**/*.ts'],
    rules: {
      // The renderer may import only types from main/ (the protocol).
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/main/*', '!**/main/protocol*'], message: 'renderer imports only the protocol types from main/' }] }],
    },
  },
);
