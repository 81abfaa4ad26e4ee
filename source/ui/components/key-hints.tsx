import {useDisplay, useUi} from '../context.js';
import {Hint} from './controls.js';
import type {Binding} from '../keymap.js';
import type {Translate} from '../i18n/index.js';

export function keyLabel(t: Translate, binding: Binding): string {
	return binding.keyLabel.startsWith('literal:') ? binding.keyLabel.slice('literal:'.length) : t(binding.keyLabel as Parameters<Translate>[0]);
}

/** The footer: the keys that work now, from the same key map that handles them. */
export function KeyHints({bindings}: {bindings: readonly Binding[]}) {
	const {t} = useUi();
	const {screenReader} = useDisplay();
	const seen = new Set<string>();
	const parts: string[] = [];
	for (const binding of bindings) {
		if (!binding.hint) continue;
		const text = `${keyLabel(t, binding)} ${t(binding.description)}`;
		if (seen.has(text)) continue;
		seen.add(text);
		parts.push(text);
	}
	return <Hint wrap="truncate-end">{screenReader ? `${t('a11y.keys')} ${parts.join('; ')}` : parts.join('  ·  ')}</Hint>;
}
