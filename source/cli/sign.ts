import {writeFile} from 'node:fs/promises';
import {read} from 'read';
import {isDomainError} from '../core/errors.js';
import type {ChallengeView, DocumentToSign, Portal, SignatureVerification, SigningResult} from '../core/portal.js';
import {toDisplayText} from '../core/text/sanitize.js';
import {describeError, describeSigningFailure, formatDate, formatDateTime, type Language, type Translate} from '../ui/i18n/index.js';
import {UsageError} from './usage.js';

/*
 * `mysign sign` and `mysign verify`: remote signing from a shell, as exam-record platforms do
 * it (several files, one OTP), and checking a .p7m as any relying party would.
 * Interactive use prompts for the PIN (hidden) and the OTP; scripts pass `--pin-stdin` and
 * `--otp`, sending the SMS first with `--send-otp` when the holder's channel is SMS.
 */

interface SignOptions {
	t: Translate;
	portal: Portal;
	userId: string | undefined;
	files: readonly string[];
	pinStdin: boolean;
	otp: string | undefined;
	sendOtp: boolean;
	json: boolean;
}

const out = (text: string) => process.stdout.write(text + '\n');
const err = (text: string) => process.stderr.write(text + '\n');

async function readStdinLine(): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function prompt(text: string, silent: boolean): Promise<string> {
	// `read` mutes the echo; on Ctrl-C it rejects, which ends the command without signing.
	return String(await read({prompt: text, silent, replace: silent ? '*' : undefined, output: process.stderr}));
}

function describeChallenge(t: Translate, challenge: ChallengeView): string {
	if (challenge.channel === 'sms') return t('sign.cli.otpSms', {phone: challenge.destination ?? ''});
	if (challenge.channel === 'push') return t('sign.cli.otpPush');
	return t(challenge.channel === 'token' ? 'sign.cli.otpToken' : 'sign.cli.otpApp');
}

export async function signCommand(options: SignOptions): Promise<number> {
	const {t, portal} = options;
	if (!options.userId) throw new UsageError(t('sign.cli.needUser'));
	if (options.files.length === 0) throw new UsageError(t('sign.cli.needFiles'));
	if (options.otp !== undefined && !/^\d{8}$/.test(options.otp.trim())) throw new UsageError(t('sign.cli.badOtp'));
	const holder = {userId: options.userId.trim().toUpperCase()};
	const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
	const documents = await portal.inspectDocuments(options.files);

	if (options.sendOtp) {
		const challenge = await portal.requestSignatureOtp(holder, documents);
		if (options.json) out(JSON.stringify({challenge: {channel: challenge.channel, destination: challenge.destination, expiresAt: challenge.expiresAt}, documents: documents.map(document => document.path)}));
		else out(`${describeChallenge(t, challenge)}\n${t('sign.cli.thenRun')}`);
		return 0;
	}

	let pin: string;
	if (options.pinStdin) pin = (await readStdinLine()).trim();
	else if (interactive) pin = (await prompt(t('sign.cli.pinPrompt', {count: await portal.pinAttemptsLeft(holder)}), true)).trim();
	else throw new UsageError(t('sign.cli.needPin'));

	let challenge: ChallengeView;
	let code: string;
	if (options.otp !== undefined) {
		code = options.otp.trim();
		const pending = await portal.pendingSignatureOtp(holder, documents);
		if (pending) challenge = pending;
		else {
			challenge = await portal.requestSignatureOtp(holder, documents, pin);
			// A fresh SMS code cannot be the one given: say so, the new code is on its way.
			if (challenge.channel === 'sms') {
				err(t('sign.cli.noPendingSms', {phone: challenge.destination ?? ''}));
				return 1;
			}
		}
		return finish(options, await portal.signDocuments(holder, {documents, pin, challengeId: challenge.id, code}));
	}
	if (!interactive) throw new UsageError(t('sign.cli.needOtp'));
	challenge = await portal.requestSignatureOtp(holder, documents, pin);
	err(describeChallenge(t, challenge));
	for (;;) {
		code = (await prompt(t('sign.cli.otpPrompt'), false)).trim();
		try {
			return finish(options, await portal.signDocuments(holder, {documents, pin, challengeId: challenge.id, code}));
		} catch (error) {
			// Only a wrong code (or one already used: wait for the next) may be typed again; anything else ends the operation.
			if (!isDomainError(error, 'otp.wrong') && !isDomainError(error, 'otp.reused')) throw error;
			err(describeError(t, error));
		}
	}
}

/** Prints what was signed; a document that could not be is named on stderr and the exit code is 1. */
function finish(options: SignOptions, result: SigningResult): number {
	const {t} = options;
	if (options.json) out(JSON.stringify(result));
	else for (const document of result.signed) out(t('sign.cli.signed', {name: toDisplayText(document.name), output: toDisplayText(document.output)}));
	if (!options.json) for (const failure of result.failed) err(describeSigningFailure(t, failure));
	return result.failed.length > 0 ? 1 : 0;
}

export function describeDocuments(documents: readonly DocumentToSign[]): string {
	return documents.map(document => toDisplayText(document.name)).join(', ');
}

function statusText(t: Translate, status: SignatureVerification['statusNow'] | null): string {
	return status === null ? t('verify.noTime') : t(`verify.status.${status}`);
}

/** `mysign verify FILE.p7m`: exit 0 when the signature is intact and the certificate was valid when signing. */
export async function verifyCommand(options: {t: Translate; language: Language; portal: Portal; file: string | undefined; extract: string | undefined; json: boolean}): Promise<number> {
	const {t} = options;
	if (!options.file) throw new UsageError(t('verify.needFile'));
	const result = await options.portal.verifySignature(options.file);
	if (options.extract) await writeFile(options.extract, result.content, {flag: 'wx', mode: 0o644});
	const good = result.intact && result.statusAtSigning === 'valid';
	if (options.json) {
		const {content, ...rest} = result;
		out(JSON.stringify({...rest, valid: good, contentBytes: content.length, extracted: options.extract ?? null}));
		return good ? 0 : 1;
	}
	const lines = [
		`${t('verify.file')}: ${toDisplayText(result.file)}`,
		`${t('verify.signature')}: ${result.intact ? t('verify.intact') : t('verify.broken', {detail: [!result.signatureValid && 'signature', !result.chainValid && 'CA', !result.cades && 'CAdES'].filter(Boolean).join(', ')})}`,
		`${t('verify.signer')}: ${toDisplayText(result.signer.commonName)}${result.signer.serialNumber ? ` (${toDisplayText(result.signer.serialNumber)})` : ''}`,
		`${t('verify.issuer')}: ${toDisplayText(result.issuer)}`,
		`${t('verify.signingTime')}: ${result.signingTime ? formatDateTime(options.language, result.signingTime) : t('verify.noTime')}`,
		`${t('verify.statusThen')}: ${statusText(t, result.statusAtSigning)}`,
		`${t('verify.statusNow')}: ${statusText(t, result.statusNow)}${result.revocation ? ` (${t('verify.since', {date: formatDate(options.language, result.revocation.at)})})` : ''}`,
		`${t('verify.content')}: ${toDisplayText(result.contentName)}, ${result.content.length} byte${options.extract ? ` → ${toDisplayText(options.extract)}` : ''}`,
		good ? t('verify.valid') : t('verify.invalid'),
	];
	out(lines.join('\n'));
	return good ? 0 : 1;
}
