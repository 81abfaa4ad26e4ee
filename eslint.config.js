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
	{
		// The UI and the CLI reach the core only through its public index (source/core/index.ts):
		// static imports (type-only ones too), dynamic `import()` and `typeof import()` types.
		files: ['source/ui/**', 'source/cli/**', 'source/cli.tsx'],
		rules: {
			'no-restricted-imports': ['error', {
				patterns: [
					{regex: '^\\.{1,2}/(?:\\.\\./)*core/(?!index\\.js$)', message: 'Import the core through its public index (core/index.js); export what you need there.'},
				],
			}],
			'no-restricted-syntax': ['error',
				{selector: 'ImportExpression > Literal[value=/^[.].*core.(?!index[.]js$)/]', message: 'Import the core through its public index (core/index.js): a `load…` function there keeps a module lazy.'},
				{selector: 'TSImportType Literal[value=/^[.].*core.(?!index[.]js$)/]', message: 'Name core types through the public index (core/index.js).'},
			],
		},
	},
);
