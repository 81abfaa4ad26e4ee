import {useEffect} from 'react';
import {Box, Text} from 'ink';
import type {Session} from '../../core/portal.js';
import {Button, Checkbox, MessageLine, TextField} from '../components/controls.js';
import type {Control} from '../components/form.js';
import {useUi} from '../context.js';
import {useForm} from '../hooks/use-form.js';
import {describeError} from '../i18n/index.js';

const CONTROLS: readonly Control[] = [
	{kind: 'check', name: 'der'},
	{kind: 'text', name: 'path', max: 1024},
	{kind: 'button', name: 'cancel'},
	{kind: 'button', name: 'save'},
];

/** "Scarica": PEM or DER, to a path the user confirms (default: the current folder). */
export function DownloadDialog({active, session, onClose, onHelp, onTypingChange}: {active: boolean; session: Session; onClose: (result?: string) => void; onHelp: () => void; onTypingChange: (typing: boolean) => void}) {
	const {t, portal} = useUi();
	const [form, dispatch] = useForm(CONTROLS, {
		submit: 'save',
		active,
		onTypingChange,
		onRequest: (action, current) => {
			if (action === 'help') return onHelp();
			if (action === 'cancel') return onClose();
			if (action !== 'save') return;
			dispatch({type: 'busy'});
			portal.exportCertificate(session, current.checks['der'] ? 'der' : 'pem', current.fields['path']!.value).then(
				path => onClose(t('download.saved', {path})),
				(error: unknown) => dispatch({type: 'done', focus: 'path', message: {kind: 'error', key: 'errors.unexpected', text: describeError(t, error)}}),
			);
		},
	});

	// Propose TINIT-<CF>.pem (or .cer) in the current folder; the extension follows the format.
	const der = form.checks['der'] ?? false;
	useEffect(() => {
		void portal.suggestedCertificateFile(session, der ? 'der' : 'pem').then(suggested => {
			const current = form.fields['path']!.value;
			if (current === '' || /\.(pem|cer)$/.test(current)) dispatch({type: 'set', name: 'path', value: current === '' ? suggested : current.replace(/\.(pem|cer)$/, der ? '.cer' : '.pem')});
		});
	}, [der]);

	const focused = (name: string) => active && CONTROLS[form.focus]?.name === name;
	return (
		<Box flexDirection="column">
			<Text bold>{t('download.title')}</Text>
			<Checkbox label={t('download.der')} checked={der} focused={focused('der')} />
			<TextField label={t('download.path')} field={form.fields['path']!} focused={focused('path')} width={72} />
			<Box gap={2}>
				<Button label={t('dialog.cancel')} focused={focused('cancel')} />
				<Button label={t('dialog.save')} focused={focused('save')} />
			</Box>
			{form.message ? <MessageLine kind={form.message.kind} text={form.message.text ?? t(form.message.key, form.message.params)} /> : null}
		</Box>
	);
}
