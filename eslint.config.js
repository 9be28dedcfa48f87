import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import prettier from 'eslint-config-prettier/flat';

export default tseslint.config(
  { ignores: ['node_modules/', '.output/', '.wxt/', '.data/', 'cdk.out/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/no-v-html': 'error',
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    // WXT's auto-imports are off (`imports: false` in wxt.config.ts): the extension imports what it uses.
    files: ['extension/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Layout is Prettier's (`npm run format`); this turns off the lint rules that would argue with it.
  prettier,
);
