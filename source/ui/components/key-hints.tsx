import {Text} from 'ink';
import {textWidth} from '../text-width.js';
import {useDisplay, useUi} from '../context.js';
import {Hint} from './controls.js';
import type {Binding} from '../keymap.js';
import type {Translate} from '../i18n/index.js';

export function keyLabel(t: Translate, binding: Binding): string {
	return binding.keyLabel.startsWith('literal:') ? binding.keyLabel.slice('literal:'.length) : t(binding.keyLabel as Parameters<Translate>[0]);
}

const SEPARATOR = '  ·  ';

/**
 * The footer: the keys that work now, from the same key map that handles them. Hints that do
 * not fit the width are left out whole, never cut mid-word, and "? aiuto", which lists them all,
 * always stays. A screen reader hears them all.
 */
export function KeyHints({bindings, width}: {bindings: readonly Binding[]; width: number}) {
	const {t} = useUi();
	const {screenReader} = useDisplay();
	const seen = new Set<string>();
	const parts: {text: string; help: boolean}[] = [];
	for (const binding of bindings) {
		if (!binding.hint) continue;
		const text = `${keyLabel(t, binding)} ${t(binding.description)}`;
		if (seen.has(text)) continue;
		seen.add(text);
		parts.push({text, help: binding.action === 'help'});
	}
	if (screenReader) return <Text>{`${t('a11y.keys')} ${parts.map(part => part.text).join('; ')}`}</Text>;
	return <Hint wrap="truncate-end">{fitted(parts, width).join(SEPARATOR)}</Hint>;
}

/** The hints in order, without those that would overflow `width`; the help hint is kept last. */
export function fitted(parts: readonly {text: string; help: boolean}[], width: number): string[] {
	const help = parts.find(part => part.help);
	let used = help ? textWidth(help.text) : 0;
	const kept: string[] = [];
	for (const part of parts) {
		if (part.help) continue;
		const extra = textWidth(part.text) + (kept.length > 0 || help ? SEPARATOR.length : 0);
		if (used + extra > width) continue;
		used += extra;
		kept.push(part.text);
	}
	return help ? [...kept, help.text] : kept;
}
