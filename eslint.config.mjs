// ESLint for the TypeScript sources (client, server, tests): the recommended rules of ESLint and
// typescript-eslint, plus two type-aware rules that catch promises nobody handles (a floating
// promise loses its rejection; a promise passed where a void callback is expected runs
// unsupervised). No formatting or style rules: `npm run lint`, run by `npm test` and so by CI.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'out/**', 'dist/**', 'node_modules/**', 'test-env/**', 'test/fixtures/**', 'bench/results/**',
      // Generated tables (realNames/generate.py, record-library-frames.mjs): data, not code.
      '**/*.generated.ts',
      // Build, bench and test scripts in plain JavaScript are outside the TypeScript project.
      '**/*.mjs', '**/*.cjs', '**/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Unused locals and parameters are tsc's job (noUnusedLocals / noUnusedParameters in tsconfig.json).
      '@typescript-eslint/no-unused-vars': 'off',
      // The Python evaluator and the text tools match NUL and other control characters on purpose.
      'no-control-regex': 'off',
      // A generator method of a returned iterable reaches its owner through `self`.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self'] }],
    },
  },
);
