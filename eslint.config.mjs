// Lint for the packages' sources: typescript-eslint's type-checked rules, plus the
// layering of @prodcon/core's folders (which process each file serves).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Forbids imports from the given folders (relative specifiers that reach them). */
const forbid = (...folders) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: folders.map((folder) => ({
        regex: `(^|/)${folder}/`,
        message: `this folder must not import from ${folder}/ (see docs/architecture.md, "Layout")`,
      })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**'] },
  {
    files: ['packages/*/src/**/*.ts', 'packages/dashboard/web/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The public API takes `any` where user classes plug in (static hooks); types tighten elsewhere.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      // Closures that read a variable assigned later (after an await) need `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Literal members of a union document sentinel values ('pending' | string); keep them.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
    },
  },
  // @prodcon/core: api → parent → shared → ipc; child → shared → ipc; never child ↔ parent.
  { files: ['packages/core/src/child/**/*.ts'], rules: forbid('api', 'parent') },
  { files: ['packages/core/src/parent/**/*.ts'], rules: forbid('api', 'child') },
  { files: ['packages/core/src/shared/**/*.ts'], rules: forbid('api', 'parent', 'child') },
  { files: ['packages/core/src/api/**/*.ts'], rules: forbid('child') },
  // The exporters read the package as its users do: through its index (the one instance of its state).
  { files: ['packages/core/src/exporters/**/*.ts'], rules: forbid('api', 'parent', 'child', 'shared') },
);
