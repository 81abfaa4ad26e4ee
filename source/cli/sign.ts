import {constants} from 'node:fs';
import {stat, writeFile} from 'node:fs/promises';
import {resolve} from 'node:path';
import {read} from 'read';
import {DomainError, isDomainError, type ChallengeView, type DocumentToSign, type Portal, type Session, type SignatureVerification, type SigningResult, toDisplayText} from '../core/index.js';
import {describeError, describeSigningFailure, type Language, type Translate} from '../ui/i18n/index.js';
import {cliDateTime, jsonDocument} from './time.js';
import {cliSession, LoginRefused} from './login.js';
import {UsageError} from './usage.js';

/*
 * `mysign sign` and `mysign verify`: remote signing from a shell, as exam-record platforms do
 * it (several files, one OTP), and checking a .p7m as any relying party would.
 * Interactive use prompts for the PIN (hidden) and the OTP; scripts pass `--pin-stdin` and
 * `--otp`, sending the SMS first with `--send-otp` when the holder's channel is SMS.
 * Before any PIN is checked or OTP sent, the holder logs in (see login.ts). Paths are used as
 * given; a signing where only some files were signed exits EXIT_PARTLY_SIGNED, naming both.
 */

interface SignOptions {
	t: Translate;
	language: Language;
	portal: Portal;
	dataDirectory: string;
	userId: string | undefined;
	files: readonly string[];
	passwordStdin: boolean;
	pinStdin: boolean;
	otp: string | undefined;
	sendOtp: boolean;
	json: boolean;
}

/** Exit code of a signing where some documents were signed and others not (`failed` names them). */
export const EXIT_PARTLY_SIGNED = 4;

const out = (text: string) => process.stdout.write(text + '\n');
const err = (text: string) => process.stderr.write(text + '\n');

/** No password or PIN is longer: stdin is read no further (`yes | mysign sign …` must not fill the memory). */
const STDIN_MAX_BYTES = 64 * 1024;

/**
 * The first `count` lines of stdin (the password first with --password-stdin, then the PIN with
 * --pin-stdin); reading stops as soon as they are in, or at STDIN_MAX_BYTES.
 */
async function readStdinLines(count: number): Promise<string[]> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of process.stdin) {
		chunks.push(chunk as Buffer);
		size += (chunk as Buffer).length;
		let newlines = 0;
		for (const piece of chunks) for (const byte of piece) if (byte === 0x0a) newlines++;
		if (newlines >= count || size >= STDIN_MAX_BYTES) break;
	}
	return Buffer.concat(chunks).subarray(0, STDIN_MAX_BYTES).toString('utf8').split(/\r?\n/).slice(0, count);
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
	const userId = options.userId.trim().toUpperCase();
	const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
	if (!options.sendOtp && !options.pinStdin && !interactive) throw new UsageError(t('sign.cli.needPin'));
	if (!options.sendOtp && options.otp === undefined && !interactive) throw new UsageError(t('sign.cli.needOtp'));
	const lines = options.passwordStdin || options.pinStdin ? await readStdinLines(Number(options.passwordStdin) + Number(options.pinStdin)) : [];
	const password = options.passwordStdin ? lines.shift() : undefined;
	const documents = await portal.signing.inspect(options.files);

	// The account first: only a logged-in holder gets a PIN checked or an OTP sent.
	let session: Session;
	try {
		session = await cliSession({t, language: options.language, portal, dataDirectory: options.dataDirectory, userId, password, interactive, err});
	} catch (error) {
		if (!(error instanceof LoginRefused)) throw error;
		err(error.message);
		return 1;
	}

	if (options.sendOtp) {
		const challenge = await portal.signing.requestOtp(session, documents);
		if (options.json) out(jsonDocument({challenge: {channel: challenge.channel, destination: challenge.destination, expiresAt: challenge.expiresAt}, documents: documents.map(document => document.path)}));
		else out(`${describeChallenge(t, challenge)}\n${t('sign.cli.thenRun')}`);
		return 0;
	}

	const pin = options.pinStdin ? (lines[0] ?? '').trim() : (await prompt(t('sign.cli.pinPrompt', {count: await portal.pin.attemptsLeft(session)}), true)).trim();

	let challenge: ChallengeView;
	let code: string;
	if (options.otp !== undefined) {
		code = options.otp.trim();
		const pending = await portal.signing.pendingOtp(session, documents);
		if (pending) challenge = pending;
		else {
			challenge = await portal.signing.requestOtp(session, documents, pin);
			// A fresh SMS code cannot be the one given: say so, the new code is on its way.
			if (challenge.channel === 'sms') {
				err(t('sign.cli.noPendingSms', {phone: challenge.destination ?? ''}));
				return 1;
			}
		}
		return finish(options, documents, await portal.signing.sign(session, {documents, pin, challengeId: challenge.id, code}));
	}
	challenge = await portal.signing.requestOtp(session, documents, pin);
	err(describeChallenge(t, challenge));
	for (;;) {
		code = (await prompt(t('sign.cli.otpPrompt'), false)).trim();
		try {
			return finish(options, documents, await portal.signing.sign(session, {documents, pin, challengeId: challenge.id, code}));
		} catch (error) {
			// Only a wrong code (or one already used: wait for the next) may be typed again; anything else ends the operation.
			if (!isDomainError(error, 'otp.wrong') && !isDomainError(error, 'otp.reused')) throw error;
			err(describeError(t, error));
		}
	}
}

/**
 * Prints what was signed (stdout) and what was not (stderr, by name); exit 0 when every document
 * was signed, EXIT_PARTLY_SIGNED when some were. The JSON names both lists.
 */
function finish(options: SignOptions, documents: readonly DocumentToSign[], result: SigningResult): number {
	const {t} = options;
	const complete = result.failed.length === 0;
	if (options.json) out(jsonDocument({...result, total: documents.length}));
	else for (const document of result.signed) out(t('sign.cli.signed', {name: toDisplayText(document.name), output: toDisplayText(document.output)}));
	if (!options.json) {
		for (const failure of result.failed) err(describeSigningFailure(t, {...failure, name: toDisplayText(failure.name)}));
		if (!complete) err(t('sign.cli.partial', {signed: result.signed.length, total: documents.length, names: result.failed.map(failure => toDisplayText(failure.path)).join(', ')}));
		if (result.reportFailed) err(t('sign.cli.reportFailed'));
	}
	return complete ? 0 : EXIT_PARTLY_SIGNED;
}

function statusText(t: Translate, status: SignatureVerification['statusNow'] | null): string {
	return status === null ? t('verify.noTime') : t(`verify.status.${status}`);
}

/** `mysign verify FILE.p7m`: exit 0 when the signature is intact and the certificate was valid when signing. */
export async function verifyCommand(options: {t: Translate; language: Language; portal: Portal; file: string | undefined; extract: string | undefined; json: boolean}): Promise<number> {
	const {t} = options;
	if (!options.file) throw new UsageError(t('verify.needFile'));
	const result = await options.portal.signing.verify(options.file);
	// The content extracted is no more readable than the .p7m it came from (and the umask allows).
	if (options.extract) {
		const target = resolve(options.extract);
		// Never over an existing file or through a link; a missing folder or a FIFO is named, not a stack trace.
		await writeFile(target, result.content, {flag: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode: (await stat(options.file)).mode & 0o666}).catch((error: NodeJS.ErrnoException) => {
			throw new DomainError(error.code === 'EEXIST' ? 'download.exists' : 'download.failed', {path: target, reason: error.code ?? 'error'});
		});
	}
	const good = result.intact && result.statusAtSigning === 'valid';
	if (options.json) {
		const {content, ...rest} = result;
		out(jsonDocument({...rest, valid: good, contentBytes: content.length, extracted: options.extract ?? null}));
		return good ? 0 : 1;
	}
	const lines = [
		`${t('verify.file')}: ${toDisplayText(result.file)}`,
		`${t('verify.signature')}: ${result.intact ? t('verify.intact') : t('verify.broken', {detail: [!result.signatureValid && 'signature', !result.chainValid && 'CA', !result.cades && 'CAdES'].filter(Boolean).join(', ')})}`,
		`${t('verify.signer')}: ${toDisplayText(result.signer.commonName)}${result.signer.serialNumber ? ` (${toDisplayText(result.signer.serialNumber)})` : ''}`,
		`${t('verify.issuer')}: ${toDisplayText(result.issuer)}`,
		`${t('verify.signingTime')}: ${result.signingTime ? cliDateTime(options.language, result.signingTime, {seconds: true}) : t('verify.noTime')}`,
		`${t('verify.statusThen')}: ${statusText(t, result.statusAtSigning)}`,
		`${t('verify.statusNow')}: ${statusText(t, result.statusNow)}${result.revocation ? ` (${t('verify.since', {date: cliDateTime(options.language, result.revocation.at)})})` : ''}`,
		`${t('verify.content')}: ${toDisplayText(result.contentName)}, ${result.content.length} byte${options.extract ? ` → ${toDisplayText(options.extract)}` : ''}`,
		good ? t('verify.valid') : t('verify.invalid'),
	];
	out(lines.join('\n'));
	return good ? 0 : 1;
}
