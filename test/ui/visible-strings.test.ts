import {readFileSync, readdirSync} from 'node:fs';
import {join, relative} from 'node:path';
import ts from 'typescript';
import {describe, expect, it} from 'vitest';
import {en} from '../../source/ui/i18n/en.js';
import {it as italian} from '../../source/ui/i18n/it.js';

const UI = join(import.meta.dirname, '../../source/ui');
const ERRORS = join(import.meta.dirname, '../../source/core/errors.ts');

/** Props whose value reaches the screen (or a screen reader) as words. */
const VISIBLE_PROPS = new Set(['label', 'aria-label', 'title', 'placeholder', 'text', 'confirmLabel', 'hint', 'notice', 'caption']);

/** Words: two letters in a row, in any script. Symbols, spaces and punctuation ("› ", "[ ", "(•) ") are layout. */
const WORDS = /\p{L}{2,}/u;

function sourceFiles(directory: string): string[] {
	return readdirSync(directory, {withFileTypes: true, recursive: true})
		.filter(entry => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.parentPath.includes('i18n'))
		.map(entry => join(entry.parentPath, entry.name));
}

interface Finding {
	file: string;
	line: number;
	text: string;
}

/** The string literals of a file that would be shown: JSX text, `{'…'}` children and visible props. */
function visibleLiterals(file: string): Finding[] {
	const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
	const findings: Finding[] = [];
	const report = (node: ts.Node, text: string) => {
		// A catalogue key ("certificate.iut") is translated where it is shown.
		if (!WORDS.test(text) || text in italian) return;
		findings.push({file: relative(UI, file), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: text.trim()});
	};
	/** Every literal piece of an expression that ends up as text (a ternary's branches, a concatenation's parts). */
	const literalParts = (expression: ts.Expression): void => {
		if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) report(expression, expression.text);
		else if (ts.isTemplateExpression(expression)) {
			report(expression.head, expression.head.text);
			for (const span of expression.templateSpans) {
				report(span.literal, span.literal.text);
				literalParts(span.expression);
			}
		} else if (ts.isConditionalExpression(expression)) {
			literalParts(expression.whenTrue);
			literalParts(expression.whenFalse);
		} else if (ts.isBinaryExpression(expression) && (expression.operatorToken.kind === ts.SyntaxKind.PlusToken || expression.operatorToken.kind === ts.SyntaxKind.BarBarToken || expression.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
			literalParts(expression.left);
			literalParts(expression.right);
		} else if (ts.isParenthesizedExpression(expression)) literalParts(expression.expression);
	};
	const visit = (node: ts.Node): void => {
		if (ts.isJsxText(node)) report(node, node.text);
		else if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) literalParts(node.expression);
		else if (ts.isJsxAttribute(node) && VISIBLE_PROPS.has(node.name.getText()) && node.initializer) {
			if (ts.isStringLiteral(node.initializer)) report(node.initializer, node.initializer.text);
			else if (ts.isJsxExpression(node.initializer) && node.initializer.expression) literalParts(node.initializer.expression);
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return findings;
}

describe('user-visible text', () => {
	it('no component or screen shows a string literal: every word on screen comes from the Italian and English catalogues', () => {
		const files = sourceFiles(UI);
		expect(files.length).toBeGreaterThan(30);
		const findings = files.flatMap(visibleLiterals);
		expect(findings.map(finding => `${finding.file}:${finding.line} ${JSON.stringify(finding.text)}`)).toEqual([]);
	});

	it('the scan finds a literal when one is there (JSX text, a child expression, a visible prop, a ternary)', () => {
		const probe = join(import.meta.dirname, '../../node_modules/.cache/visible-strings-probe.tsx');
		const code = [
			'export const a = <Text>Conferma</Text>;',
			"export const b = <Text>{ok ? 'Riuscito' : '✓'}</Text>;",
			'export const c = <Button label="Annulla" focused />;',
			"export const d = <Text>{'› '}{t('x')}</Text>;",
			'export const f = <Field label="certificate.iut" />;',
			'export const e = <Box aria-label={`Passo ${n}`} />;',
		].join('\n');
		ts.sys.writeFile(probe, code);
		expect(visibleLiterals(probe).map(finding => finding.text)).toEqual(['Conferma', 'Riuscito', 'Annulla', 'Passo']);
	});

	it('every domain error code has a message in both languages', () => {
		const source = ts.createSourceFile(ERRORS, readFileSync(ERRORS, 'utf8'), ts.ScriptTarget.Latest, true);
		const codes: string[] = [];
		const visit = (node: ts.Node): void => {
			if (ts.isTypeAliasDeclaration(node) && node.name.text === 'ErrorCode') {
				ts.forEachChild(node.type, member => {
					if (ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal)) codes.push(member.literal.text);
				});
			}
			ts.forEachChild(node, visit);
		};
		visit(source);
		expect(codes.length).toBeGreaterThan(50);
		const missing = codes.flatMap(code => [`it:errors.${code}`, `en:errors.${code}`]).filter(entry => {
			const [language, key] = entry.split(/:(.*)/s) as [string, string];
			return !(key in (language === 'it' ? italian : en));
		});
		expect(missing).toEqual([]);
	});
});
