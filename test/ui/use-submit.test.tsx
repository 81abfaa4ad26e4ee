import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {DomainError} from '../../source/core/errors.js';
import type {Portal} from '../../source/core/portal.js';
import type {Control} from '../../source/ui/components/form.js';
import {UiContext} from '../../source/ui/context.js';
import {DEFAULT_DISPLAY} from '../../source/ui/display.js';
import {KeyRouter} from '../../source/ui/hooks/key-router.js';
import {useForm} from '../../source/ui/hooks/use-form.js';
import {useSubmit, type Submit} from '../../source/ui/hooks/use-submit.js';
import {translator} from '../../source/ui/i18n/index.js';
import {screen, type, waitForScreen} from '../helpers/ink.js';

const CONTROLS: readonly Control[] = [
	{kind: 'text', name: 'code', max: 8, secret: false},
	{kind: 'button', name: 'confirm'},
];

/** A call the test settles when it wants. */
function deferred<T>() {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((yes, no) => {
		resolve = yes;
		reject = no;
	});
	return {promise, resolve, reject};
}

/** A form whose submit the test drives: the field, "BUSY" while a call is under way, the message. */
function Host({onSubmit}: {onSubmit: (submit: Submit) => void}) {
	const t = translator('it');
	const [form, dispatch] = useForm(CONTROLS, {submit: 'confirm', active: true, onRequest: () => undefined});
	const {submit, busy} = useSubmit(dispatch);
	onSubmit(submit);
	return (
		<Text>
			[{form.fields['code']?.value}] {busy ? 'BUSY' : 'IDLE'} {form.message ? (form.message.text ?? t(form.message.key, form.message.params)) : ''}
		</Text>
	);
}

function mount() {
	let submit!: Submit;
	const rendered = render(
		<UiContext.Provider value={{portal: {} as Portal, language: 'it', color: false, display: DEFAULT_DISPLAY, t: translator('it')}}>
			<KeyRouter>
				<Host onSubmit={latest => (submit = latest)} />
			</KeyRouter>
		</UiContext.Provider>,
	);
	return {rendered, submit: () => submit};
}

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

describe('useSubmit', () => {
	it('is busy while the call runs (keys are not typed), then shows what `done` says', async () => {
		const {rendered, submit} = mount();
		unmount = rendered.unmount;
		await type(rendered, '12');
		const call = deferred<string>();
		expect(submit()(() => call.promise, {done: value => ({clear: ['code'], message: {kind: 'success', key: 'app.working', text: `OK ${value}`}})})).toBe(true);
		await waitForScreen(rendered, 'BUSY Attendere…');
		await type(rendered, '3');
		expect(screen(rendered)).toContain('[12]');
		call.resolve('fatto');
		await waitForScreen(rendered, '[] IDLE OK fatto');
	});

	it("shows a domain error's own message, and anything else as an unexpected error; `failed` decides what else changes", async () => {
		const {rendered, submit} = mount();
		unmount = rendered.unmount;
		await type(rendered, '1234');
		submit()(() => Promise.reject(new DomainError('otp.wrong', {attemptsLeft: 3})), {failed: () => ({clear: ['code']})});
		await waitForScreen(rendered, '[] IDLE Codice OTP errato. Tentativi rimasti: 3.');
		submit()(() => Promise.reject(new Error('disco pieno')));
		await waitForScreen(rendered, 'IDLE Errore imprevisto: disco pieno');
		// A call that throws before giving a promise is a failure too, not a crash.
		submit()(() => {
			throw new Error('subito');
		});
		await waitForScreen(rendered, 'IDLE Errore imprevisto: subito');
	});

	it('runs one call at a time: a second submit while the first runs is refused and not called', async () => {
		const {rendered, submit} = mount();
		unmount = rendered.unmount;
		const first = deferred<void>();
		let calls = 0;
		const call = () => {
			calls += 1;
			return first.promise;
		};
		expect(submit()(call)).toBe(true);
		expect(submit()(call)).toBe(false);
		expect(calls).toBe(1);
		first.resolve();
		await waitForScreen(rendered, 'IDLE');
		expect(submit()(call)).toBe(true);
		expect(calls).toBe(2);
	});

	it('does not run the handlers once the form is gone', async () => {
		const {rendered, submit} = mount();
		const call = deferred<void>();
		const handled: string[] = [];
		submit()(() => call.promise, {done: () => void handled.push('done'), failed: () => void handled.push('failed')});
		await waitForScreen(rendered, 'BUSY');
		rendered.unmount();
		call.resolve();
		await new Promise(resolve => setTimeout(resolve, 20));
		expect(handled).toEqual([]);
	});
});
