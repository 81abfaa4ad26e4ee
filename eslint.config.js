// Lint: the recommended JS + TypeScript rules, plus the architecture rule that core stays UI-free.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ignores: ['dist/**', 'node_modules/**', 'data/**']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.{ts,tsx,mjs,js}'],
		languageOptions: {
			globals: {process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', URL: 'readonly'},
		},
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
			'no-control-regex': 'off',
		},
	},
	{
		files: ['source/core/**'],
		rules: {
			'no-restricted-imports': ['error', {
				patterns: [
					{group: ['react', 'react/*', 'ink', 'ink-*', 'meow', '**/ui/**', '**/cli*'], message: 'source/core must not depend on the UI or the CLI.'},
				],
			}],
			'no-console': 'error',
		},
	},
);
