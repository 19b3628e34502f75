// Lint: typescript-eslint's type-aware rules. This library is promises and discriminated
// unions, so floating promises and non-exhaustive switches are errors. Formatting is left to
// the editor (no formatter dependency).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // scripts/consumer is a consumer project's file, type-checked against the packed package by check-package.
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'docs/api/**', 'scripts/consumer/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's describe/it/test return promises the runner itself tracks.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
