import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * Who may import whom, as allow-lists (ARCHITECTURE.md, "Layout and dependency direction"): each folder imports
 * only what it lists, plus npm packages. Tests are exempt. test/lint-boundaries.test.ts feeds ESLint a
 * forbidden and an allowed import from every folder and expects the first to fail: a boundary nobody can break
 * by accident is one that has been seen to hold.
 */
export const LAYERS = {
  lib: { pattern: 'src/lib', allow: [] },
  metrics: { pattern: 'src/metrics', allow: ['lib'] },
  contracts: { pattern: 'src/contracts', allow: ['metrics'] },
  providers: { pattern: 'src/providers', allow: ['metrics', 'lib'] },
  // Reading a helpdesk's export: the formats (each provider's csv.ts), the digest, the fold.
  imports: { pattern: 'src/imports', allow: ['providers', 'metrics', 'lib'] },
  config: { pattern: 'src/config', allow: ['providers', 'metrics', 'lib'] },
  db: { pattern: 'src/db', allow: ['metrics', 'lib', 'config'] },
  auth: { pattern: 'src/auth', allow: ['lib'] },
  domain: {
    pattern: 'src/domain',
    allow: ['providers', 'imports', 'db', 'metrics', 'contracts', 'lib', 'config'],
  },
  jobs: { pattern: 'src/jobs', allow: ['domain', 'db', 'providers', 'metrics', 'lib', 'config'] },
  http: { pattern: 'src/http', allow: ['domain', 'contracts', 'jobs', 'metrics', 'lib', 'config', 'auth'] },
  cli: {
    pattern: 'src/cli',
    allow: [
      'root',
      'http',
      'jobs',
      'domain',
      'db',
      'auth',
      'config',
      'providers',
      'contracts',
      'metrics',
      'lib',
    ],
  },
  // The composition root (src/main.ts) and sandbox mode (src/sandbox.ts, which mounts the emulators).
  root: {
    // The whole path from the project root: web/src/*.ts is not the composition root.
    pattern: 'src/*.ts',
    mode: 'full',
    allow: ['http', 'jobs', 'domain', 'db', 'auth', 'config', 'providers', 'metrics', 'lib', 'emulators'],
  },
  // Pretend helpdesks: they share the metric vocabulary, and count pages with the adapters' call plans.
  emulators: { pattern: 'emulators', allow: ['metrics', 'providers', 'lib'] },
  web: { pattern: 'web/src', allow: ['contracts'] },
  // Never imported by the code above; they may import anything.
  bench: { pattern: 'bench', allow: null },
  test: { pattern: 'test', allow: null },
};

export default tseslint.config(
  { ignores: ['node_modules', '.deskpulse', 'coverage', 'bin', 'dist'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Interfaces often demand a Promise where a given implementation has nothing to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['eslint.config.js', 'vitest.config.ts', 'scripts/*.mjs', 'web/vite.config.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src/**/*.ts', 'emulators/**/*.ts', 'web/src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': Object.entries(LAYERS).map(([type, l]) => ({
        type,
        pattern: l.pattern,
        ...(l.mode ? { mode: l.mode } : {}),
      })),
    },
    rules: {
      'boundaries/element-types': [
        'error',
        {
          default: 'disallow',
          message: '${file.type}/ may import only ${file.type}/ itself and what its allow-list names',
          rules: Object.entries(LAYERS)
            .filter(([, l]) => l.allow !== null)
            .map(([type, l]) => ({ from: type, allow: [type, ...l.allow] })),
        },
      ],
      // An import of a file that belongs to no layer is a new folder nobody has placed: place it first.
      'boundaries/no-unknown': 'error',
      'boundaries/no-unknown-files': 'error',
    },
  },
);
