import {readFile} from 'node:fs/promises';
import {checkEnrollment, isDomainError, loadMigration, loadSharedFolderSetup, parseEnrollmentCsv, revocationReasons, type EnrollmentInput, type Portal, toDisplayText} from '../core/index.js';
import {describeError, formatDate, type Language, type Translate} from '../ui/i18n/index.js';
import {cliDateTime, jsonDocument} from './time.js';
import {confirmed} from './confirm.js';
import type {ParsedFlags} from './command-types.js';
import {UsageError} from './usage.js';
import {parseAdminWords} from './admin-words.js';

/**
 * Padded to `width` terminal columns (a wide character such as 漢 takes two), never cut.
 * string-width loads only for the list `admin enroll` prints: loaded with the module, its set-up
 * (~20–30 ms of CPU) was paid by every admin command and by `status`.
 */
async function columnPadder(): Promise<(text: string, width: number) => string> {
	const {default: stringWidth} = await import('string-width');
	return (text, width) => text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/*
 * `mysign admin …` (operators) and `mysign status` (monitoring). Arguments
 * are checked before anything is written; a refused command names the argument, exits 2 and
 * leaves the database as it was. `--json` gives the same facts for scripts.
 */

/** The flags the admin sub-commands read, as parsed (see command-types.ts); `--json` and `--pem` resolved to booleans. */
export type AdminFlags = Pick<ParsedFlags, 'count' | 'name' | 'surname' | 'codiceFiscale' | 'phone' | 'email' | 'csv' | 'reason' | 'deadline' | 'yes'> & {json: boolean; pem: boolean};

const out = (text: string) => process.stdout.write(text + '\n');

/** Domain refusals of operator input (unknown user, bad reason, bad CSV row …) are usage errors: exit 2. */
function asUsage(t: Translate, error: unknown): never {
	// A reissue that failed after its commit is no refusal: it changed the database (exit 1, its own message).
	const partial = isDomainError(error, 'admin.reissueNotSent') || isDomainError(error, 'admin.reissueCrlStale');
	if (!partial && isDomainError(error) && /^(admin|enroll|scenario|outbox|download)\.|^holder\.|^certificate\.none$|^input\./.test(error.code)) throw new UsageError(describeError(t, error));
	throw error;
}

function required(t: Translate, value: string | undefined, what: string): string {
	if (value === undefined || value.trim() === '') throw new UsageError(t('admin.missing', {what}));
	return value;
}

/**
 * The rows of `admin enroll` (the fields, or a CSV), read and checked with no database: cli.tsx
 * calls it before a live database is created for an enrolment into an empty folder.
 */
export async function enrollmentRows(t: Translate, flags: AdminFlags): Promise<EnrollmentInput[]> {
	const single = [flags.name, flags.surname, flags.codiceFiscale, flags.phone, flags.email].some(value => value !== undefined);
	if (flags.csv !== undefined && single) throw new UsageError(t('admin.csvOrFields'));
	let rows: EnrollmentInput[];
	if (flags.csv !== undefined) {
		const text = await readFile(required(t, flags.csv, '--csv FILE'), 'utf8').catch((error: NodeJS.ErrnoException) => {
			throw new UsageError(t('admin.csvUnreadable', {file: flags.csv!, reason: error.code ?? 'error'}));
		});
		rows = await parseEnrollmentCsv(text).catch((error: unknown) => asUsage(t, error));
	} else {
		rows = [
			{
				name: required(t, flags.name, '--name'),
				surname: required(t, flags.surname, '--surname'),
				codiceFiscale: required(t, flags.codiceFiscale, '--codice-fiscale'),
				phone: required(t, flags.phone, '--phone'),
				email: required(t, flags.email, '--email'),
			},
		];
	}
	await checkEnrollment(rows, {numbered: flags.csv !== undefined}).catch((error: unknown) => asUsage(t, error));
	return rows;
}

export async function adminCommand(t: Translate, language: Language, portal: Portal, words: readonly string[], flags: AdminFlags): Promise<number> {
	const {command, operand} = parseAdminWords(t, words);
	const user = () => required(t, operand, 'USER (es. JCPD7173)');
	const admin = await portal.admin.commands();
	const print = (json: unknown, text: string) => out(flags.json ? jsonDocument(json) : text);
	try {
		switch (command) {
			case 'coupon create': {
				const countText = flags.count ?? '1';
				const count = Number(countText);
				if (!/^\d+$/.test(countText) || count < 1 || count > 1000) throw new UsageError(t('cli.badCount', {value: countText}));
				const codes = await portal.renewal.createCoupons(count);
				print({created: codes.length, coupons: codes}, [t('cli.couponsCreated', {count: codes.length}), ...codes].join('\n'));
				return 0;
			}
			case 'enroll': {
				const rows = await enrollmentRows(t, flags);
				const progress = (await import('./progress.js')).enrollmentProgress(t);
				const enrolled = await admin.enroll(rows, {numbered: flags.csv !== undefined, progress: progress?.update}).finally(() => progress?.end());
				const padColumns = await columnPadder();
				print(
					{enrolled},
					[t('admin.enrolled', {count: enrolled.length}), ...enrolled.map(holder => `  ${holder.userId}  ${padColumns(toDisplayText(`${holder.name} ${holder.surname}`), 28)} ${toDisplayText(holder.email)}  IUT ${holder.iut}`), t('admin.enrolledNote')].join('\n'),
				);
				return 0;
			}
			case 'unlock': {
				const result = await admin.unlock(user());
				// A blocked PIN is no lock this command lifts: say so, and name the way out (admin reissue).
				const blocked = result.pinBlocked ? t('admin.pinBlocked', {userId: result.userId}) : undefined;
				print(result, [result.cleared.length > 0 ? t('admin.unlocked', {userId: result.userId, count: result.cleared.length}) : blocked ? undefined : t('admin.nothingLocked', {userId: result.userId}), blocked].filter(Boolean).join('\n'));
				return 0;
			}
			case 'reissue': {
				const {reissueCommand} = await import('./admin-reissue.js');
				out(await reissueCommand(t, language, portal, user(), {codiceFiscale: flags.codiceFiscale, json: flags.json}));
				return 0;
			}
			case 'revoke': {
				const reason = required(t, flags.reason, '--reason (keyCompromise, cessationOfOperation, unspecified)');
				// Final: asked on the terminal, or --yes (see confirm.ts); no: exit 1, nothing changed.
				// An unknown holder, a bad reason or a revoked certificate is refused first, unasked.
				const [holder, reasons] = await Promise.all([admin.show(user()), revocationReasons()]);
				const askable = reasons.includes(reason) && holder.state !== 'revoked';
				if (askable && !(await confirmed(t, t('cli.confirm.revoke', {userId: holder.userId, reason}), flags.yes ?? false))) return 1;
				const result = await admin.revoke(user(), reason);
				print(result, t('admin.revoked', {userId: result.userId, serial: result.certificateSerial, reason: result.reason}));
				return 0;
			}
			case 'reactivate': {
				const result = await admin.reactivate(user());
				print(result, t('admin.reactivated', {userId: result.userId, serial: result.certificateSerial}));
				return 0;
			}
			case 'flag-replacement': {
				const result = await admin.flagReplacement(user(), required(t, flags.deadline, '--deadline gg/mm/aaaa'));
				print(result, t('admin.flagged', {userId: result.userId, date: formatDate(language, result.deadline)}));
				return 0;
			}
			case 'list':
			case 'coupon list':
			case 'rao list': {
				const lists = await import('./admin-lists.js');
				const list = command === 'list' ? lists.listHolders : command === 'coupon list' ? lists.listCoupons : lists.listOperators;
				return await list(t, language, admin, flags.json);
			}
			case 'show': {
				const details = await admin.show(user());
				if (flags.pem) {
					if (!details.pem) throw new UsageError(t('errors.certificate.none'));
					out(flags.json ? jsonDocument({userId: details.userId, pem: details.pem}) : details.pem.trimEnd());
					return 0;
				}
				const {pem, ...shown} = details;
				print(shown, [
					`${details.userId}  ${toDisplayText(`${details.name} ${details.surname}`)}`,
					`  ${t('admin.field.codiceFiscale')}: ${details.codiceFiscale}   ${t('admin.field.email')}: ${toDisplayText(details.email)}   ${t('admin.field.phone')}: ${details.phone}`,
					`  ${t('admin.field.state')}: ${t(details.state === 'none' ? 'admin.noCertificate' : `status.${details.state}`)}${details.expiresAt ? `  ${t('admin.field.expires')} ${cliDateTime(language, details.expiresAt)}` : ''}`,
					details.suspendedAt ? `  ${t('admin.field.suspendedAt')} ${cliDateTime(language, details.suspendedAt)}${details.suspendedUntil ? `  ${t('admin.field.suspendedUntil')} ${cliDateTime(language, details.suspendedUntil)}` : ''}` : '',
					details.revokedAt ? `  ${t('admin.field.revokedAt')} ${cliDateTime(language, details.revokedAt)}  (${details.revocationReason ?? 'unspecified'})` : '',
					`  IUT ${details.iut ?? '-'}   ${t('admin.field.serial')} ${details.certificateSerial ?? '-'}   ${details.serial ?? ''}`,
					`  ${t('admin.field.pinFailures')}: ${details.pinFailures}   OTP: ${details.otpChannel}${details.locked ? `   ${t('admin.locked')}` : ''}${details.mustChangePassword ? `   ${t('admin.mustChange')}` : ''}`,
					pem ? `  ${t('admin.pemHint')}` : '',
				]
					.filter(Boolean)
					.join('\n'));
				return 0;
			}
			// command-run.ts runs these (initCommand, migrateCommand) before any database is opened.
			case 'init':
			case 'migrate':
				throw new Error(`admin ${command} is not a command on an open database`);
			case 'rao add': {
				const operator = await admin.addOperator({name: required(t, flags.name, '--name'), phone: required(t, flags.phone, '--phone')});
				print((({name, ...rest}) => ({...rest, fullName: name}))(operator), t('admin.raoAdded', {userId: operator.userId, name: toDisplayText(operator.name), password: operator.password}));
				return 0;
			}
		}
	} catch (error) {
		return asUsage(t, error);
	}
}

/**
 * `mysign admin init --group NAME [--data DIR]`: the data folder shared by an OS group (see
 * core/store/shared-folder.ts). It runs without opening the database: the folder may be empty.
 */
export async function initCommand(t: Translate, directory: string, options: {group: string | undefined; json: boolean}): Promise<number> {
	const group = required(t, options.group, '--group NOME');
	const initSharedFolder = await loadSharedFolderSetup();
	const result = (() => {
		try {
			return initSharedFolder(directory, group);
		} catch (error) {
			return asUsage(t, error);
		}
	})();
	out(options.json ? jsonDocument(result) : t('admin.initDone', {directory: result.directory, group: result.group, count: result.entries}));
	return 0;
}

/**
 * `mysign admin migrate --store postgres://… [--data DIR]`: the folder's database moves into an
 * empty PostgreSQL database, and the folder uses it from then on (see core/store/migrate.ts).
 */
export async function migrateCommand(t: Translate, directory: string, options: {store: string | undefined; json: boolean}): Promise<number> {
	const url = required(t, options.store, '--store postgres://…');
	const result = await (await loadMigration())(directory, url);
	if (result.joined) {
		out(options.json ? jsonDocument(result) : t('admin.joined', {count: result.holders, store: toDisplayText(result.store)}));
		return 0;
	}
	out(options.json ? jsonDocument(result) : t('admin.migrated', {count: result.holders, messages: result.messages, accessEntries: result.accessEntries, signatures: result.signatures, store: toDisplayText(result.store), kept: toDisplayText([...result.keptAside, ...result.leftInPlace.map(file => `${file} (${t('admin.migratedNotRenamed')})`)].join(', '))}));
	return 0;
}

/** `mysign status`: 0 active, 1 expiring within `warnDays`, 2 suspended, revoked, expired, blocked (or none); an error is 3 (cli.tsx). */
export async function statusCommand(t: Translate, language: Language, portal: Portal, options: {user: string | undefined; warnDays: string | undefined; json: boolean}): Promise<number> {
	const userId = required(t, options.user, '--user');
	const warnText = options.warnDays ?? '30';
	if (!/^\d{1,4}$/.test(warnText)) throw new UsageError(t('admin.badWarnDays', {value: warnText}));
	// An unknown holder is not a usage error: status cannot tell (exit 3, set in cli.tsx), as with a broken database.
	const report = await portal.admin.certificateStatus(userId);
	const code = report.state !== 'active' ? 2 : report.daysLeft !== null && report.daysLeft < Number(warnText) ? 1 : 0;
	if (options.json) out(jsonDocument({...report, warnDays: Number(warnText), exitCode: code}));
	else {
		const state = t(report.state === 'none' ? 'admin.noCertificate' : `status.${report.state}`);
		const days = report.daysLeft ?? 0;
		const line = !report.expiresAt ? 'admin.statusNone' : days === 0 ? (report.state === 'expired' ? 'admin.statusLineExpiredToday' : 'admin.statusLineToday') : days < 0 ? 'admin.statusLinePast' : 'admin.statusLine';
		out(t(line, {userId: report.userId, state, date: report.expiresAt ? formatDate(language, report.expiresAt) : '', days: Math.abs(days)}));
	}
	return code;
}
