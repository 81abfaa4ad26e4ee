import {useEffect} from 'react';
import {Box, Text} from 'ink';
import {Checkbox, MessageLine, TextField, FormButtons} from '../components/controls.js';
import type {Control} from '../components/form.js';
import {useUi} from '../context.js';
import {useDialogForm} from '../hooks/use-form.js';
import {useSubmit} from '../hooks/use-submit.js';
import {GuideNote, type GuideStep} from '../components/guide-note.js';

const CONTROLS = [
	{kind: 'check', name: 'alternative'},
	{kind: 'text', name: 'path', max: 1024, secret: false},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'save'},
] as const satisfies readonly Control[];
const PATH_ONLY = CONTROLS.filter(control => control.name !== 'alternative');

export interface SaveFileDialogProps {
	active: boolean;
	title: string;
	/** The guide's note for this dialog (`--guide`). */
	guide?: GuideStep;
	/** A check box for the other format (DER instead of PEM), when there is one. */
	alternativeLabel?: string;
	/** The proposed path; called again when the format changes. */
	suggest: (alternative: boolean) => Promise<string>;
	/** Writes the file; resolves with the message to show. */
	save: (path: string, alternative: boolean) => Promise<string>;
	onClose: (result?: string) => void;
}

/** Saves a file to a path the user confirms (default: the current folder) and says where it went. */
export function SaveFileDialog({active, title, guide, alternativeLabel, suggest, save, onClose}: SaveFileDialogProps) {
	const {t} = useUi();
	const controls = alternativeLabel ? CONTROLS : PATH_ONLY;
	const [form, dispatch] = useDialogForm(controls, {
		submit: 'save',
		active,
		onCancel: () => onClose(),
		onAction: (action, current) => {
			if (action !== 'save') return;
			// Without the check box (PATH_ONLY) there is no other format.
			const alternative = alternativeLabel ? current.checks.alternative : false;
			const path = current.fields.path.value;
			submit(() => save(path, alternative), {done: onClose, failed: () => ({focus: 'path'})});
		},
	});
	const {submit} = useSubmit(dispatch);

	// The proposal follows the format while the user has not typed a path of their own.
	const alternative = alternativeLabel ? form.checks.alternative : false;
	useEffect(() => {
		void suggest(alternative).then(suggested => {
			const current = form.fields.path.value;
			const proposed = /\.(pem|cer|pdf)$/.test(current) ? current.replace(/\.(pem|cer|pdf)$/, suggested.slice(suggested.lastIndexOf('.'))) : suggested;
			if (current === '' || /\.(pem|cer|pdf)$/.test(current)) dispatch({type: 'set', name: 'path', value: proposed});
		});
	}, [alternative]);

	const focused = (name: string) => active && controls[form.focus]?.name === name;
	return (
		<Box flexDirection="column">
			{guide ? <GuideNote step={guide} /> : null}
			<Text bold>{title}</Text>
			{alternativeLabel ? <Checkbox label={alternativeLabel} checked={alternative} focused={focused('alternative')} /> : null}
			<TextField label={t('download.path')} field={form.fields.path} focused={focused('path')} width={72} />
			<FormButtons focused={focused} confirmLabel={t('dialog.save')} confirm="save" />
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}
