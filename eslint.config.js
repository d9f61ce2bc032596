import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Dependency direction (docs: ARCHITECTURE.md): http → domain → providers | db → lib; web → contracts.
const forbid = (from, targets) => ({
  files: [`src/${from}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: targets.map((t) => ({
          group: [`**/${t}/*`, `**/${t}`],
          message: `${from}/ must not import ${t}/`,
        })),
      },
    ],
  },
});

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
    files: ['eslint.config.js', 'vitest.config.ts', 'scripts/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  forbid('lib', ['domain', 'db', 'http', 'providers', 'jobs', 'cli', 'config']),
  forbid('providers', ['db', 'http', 'domain', 'jobs', 'cli']),
  forbid('db', ['http', 'domain', 'jobs', 'cli']),
  forbid('domain', ['http', 'cli']),
  forbid('contracts', ['db', 'http', 'domain', 'jobs', 'cli']),
  {
    // Contracts (shared with the dashboard) may use the provider id list and metric keys, nothing else of providers/.
    files: ['src/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/providers/*', '!**/providers/types.ts', '!**/providers/metrics-types.ts'],
              message: 'contracts/ may import only providers/types.ts and providers/metrics-types.ts',
            },
          ],
        },
      ],
    },
  },
);
