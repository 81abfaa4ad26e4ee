// The domain's code (and its schema library) loads only when a command needs it (`loadPortal`): see the TUI start below.
import {loadPortal, resolveDataDirectory, readCheckedStamp} from '../core/index.js';
import {displayFor, type Display} from '../ui/display.js';
import {cliDateTime} from './time.js';
import {terminalDescription} from './terminal-name.js';
import {UsageError} from './usage.js';

/*
 * The function that runs each command of the table (command-table.ts), given the parsed command
 * line. Each one loads its own code when it runs, so a command reads only what it needs and the
 * bare `mysign` reaches the login screen without loading the others.
 */

export type {ParsedFlags, RunContext, Runner} from './command-types.js';
import type {ParsedFlags, RunContext, Runner} from './command-types.js';

function displayOf(context: RunContext): Display {
	return displayFor(context.display, process.env);
}

function write(line: string): number {
	process.stdout.write(line + '\n');
	return 0;
}

async function admin({t, language, words, flags}: RunContext): Promise<number> {
	const dataDirectory = resolveDataDirectory(flags.data);
	const {count, name, surname, codiceFiscale, phone, email, csv, reason, deadline} = flags;
	const adminFlags = {json: flags.json ?? false, pem: flags.pem ?? false, yes: flags.yes ?? false, count, name, surname, codiceFiscale, phone, email, csv, reason, deadline};
	const module = await import('./admin.js');
	if (words[0] === 'init') return module.initCommand(t, dataDirectory, {group: flags.group, json: flags.json ?? false});
	if (words[0] === 'migrate') return module.migrateCommand(t, dataDirectory, {store: flags.store ?? process.env['MYSIGN_STORE'], json: flags.json ?? false});
	if (words[0] === 'enroll') {
		// Enrolment into a folder without a database starts a live one (real time; see mysign clock),
		// once the rows are known to be right: a refused enrolment creates nothing.
		await module.enrollmentRows(t, {...adminFlags, json: false, pem: false});
		if (await (await loadPortal()).createLive({dataDirectory})) process.stderr.write(t('cli.liveCreated', {directory: dataDirectory}) + '\n');
	}
	const portal = await (await loadPortal()).open({dataDirectory, terminal: 'admin'});
	return module.adminCommand(t, language, portal, words, adminFlags);
}

async function status({t, language, flags}: RunContext): Promise<number> {
	const portal = await (await loadPortal()).open({dataDirectory: resolveDataDirectory(flags.data), terminal: 'status'});
	return (await import('./admin.js')).statusCommand(t, language, portal, {user: flags.user, warnDays: flags.warnDays, json: flags.json ?? false});
}

async function outbox({t, language, words, flags}: RunContext): Promise<number> {
	const portal = await (await loadPortal()).open({dataDirectory: resolveDataDirectory(flags.data), terminal: 'outbox'});
	return (await import('./outbox.js')).outboxCommand(t, language, portal, words, {user: flags.user, json: flags.json ?? false});
}

async function clock({t, language, words, flags}: RunContext): Promise<number> {
	const {clockCommand, parseClockWords} = await import('./clock.js');
	const change = parseClockWords(t, words);
	const portal = await (await loadPortal()).open({dataDirectory: resolveDataDirectory(flags.data), terminal: 'clock'});
	return clockCommand({t, portal, change, json: flags.json ?? false, formatTime: date => cliDateTime(language, date, {seconds: true})});
}

async function crl({t, flags}: RunContext): Promise<number> {
	const portal = await (await loadPortal()).open({dataDirectory: resolveDataDirectory(flags.data), terminal: 'crl'});
	const file = await portal.folder.refreshCertificates({always: true});
	return write(flags.json ? JSON.stringify({crl: file, ca: file.replace(/crl\.pem$/, 'ca.pem')}) : t('cli.crlWritten', {file}));
}

async function openFor(command: string, flags: ParsedFlags) {
	const terminal = command === 'verify' || command === 'reports' ? command : `CLI mysign ${command} ${terminalDescription()}`;
	return (await loadPortal()).open({dataDirectory: resolveDataDirectory(flags.data), terminal});
}

async function logout({t, flags}: RunContext): Promise<number> {
	if (!flags.user) throw new UsageError(t('logout.cli.needUser'));
	const portal = await openFor('logout', flags);
	return (await import('./login.js')).logoutCommand({t, portal, dataDirectory: resolveDataDirectory(flags.data), userId: flags.user, json: flags.json ?? false});
}

async function verify({t, language, words, flags}: RunContext): Promise<number> {
	const portal = await openFor('verify', flags);
	return (await import('./sign.js')).verifyCommand({t, language, portal, file: words[0], extract: flags.extract, json: flags.json ?? false});
}

async function sign({t, language, words, flags}: RunContext): Promise<number> {
	const portal = await openFor('sign', flags);
	const {passwordStdin = false, pinStdin = false, sendOtp = false, json = false} = flags;
	return (await import('./sign.js')).signCommand({t, language, portal, dataDirectory: resolveDataDirectory(flags.data), userId: flags.user, files: words, passwordStdin, pinStdin, otp: flags.otp, sendOtp, json});
}

async function reports({t, flags}: RunContext): Promise<number> {
	const portal = await openFor('reports', flags);
	const sent = await portal.history.sendDailyReports();
	return write(flags.json ? JSON.stringify({sent}) : t('cli.reportsSent', {count: sent}));
}

async function demo({t, language, flags}: RunContext): Promise<number> {
	const {reset = false, keepEnrolled = false, yes = false, all = false, json = false} = flags;
	return (await import('./demo.js')).demoCommand(t, language, resolveDataDirectory(flags.data), {reset, keepEnrolled, yes, all, json, scenario: flags.scenario, user: flags.user});
}

async function phone(context: RunContext): Promise<number> {
	const {t, language, flags} = context;
	const open = async () => (await loadPortal()).open({dataDirectory: resolveDataDirectory(flags.data), terminal: 'phone'});
	const {approve = false, deny = false, print = false, json = false, showKeys = false} = flags;
	return (await import('./phone.js')).phoneCommand({t, language, open, user: flags.user, print, json, approve, deny, display: displayOf(context), showKeys});
}

/** The bare `mysign`: the full-screen portal. */
async function portal(context: RunContext): Promise<number> {
	const {t, language, flags} = context;
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		process.stderr.write(t('cli.noTty') + '\n');
		return 2;
	}
	const dataDirectory = resolveDataDirectory(flags.data);
	// Keys typed while the data loads are not echoed over the screen; Ink keeps raw mode from here.
	process.stdin.setRawMode(true);
	process.once('exit', () => process.stdin.setRawMode(false));
	// The interface's code (Ink, React, the screens) loads while the data folder is read.
	const ui = import('../ui/run.js');
	ui.catch(() => undefined); // awaited below; a failed open must not leave it unhandled
	const options = {language, display: displayOf(context), showSms: flags.showSms ?? false, guide: flags.guide ?? false, showKeys: flags.showKeys ?? false};
	const open = async () => (await loadPortal()).open({dataDirectory, terminal: terminalDescription()});
	// db.json as this program last validated and wrote it: the login screen comes first, and the
	// portal opens (validating the database in full) right after it, while keys wait.
	const checked = readCheckedStamp(dataDirectory);
	if (checked) return (await ui).runTui({...options, portal: open, maxLoginAttempts: checked.loginMaxAttempts});
	// Otherwise the database is validated before the screen changes. The embedded default: a data
	// folder without a database starts with the demo data set.
	await (await loadPortal()).createDemoIfMissing({dataDirectory});
	const opened = await open();
	const settings = await opened.folder.settings();
	return (await ui).runTui({...options, portal: opened, maxLoginAttempts: settings.loginMaxAttempts});
}

/** `mysign help [COMMAND…]`, `mysign completion bash|zsh`, `mysign man`. */
async function help({t, words, commands}: RunContext): Promise<number> {
	return write((await import('./command-help.js')).helpFor(t, commands, words, helpWidth()));
}

/** The terminal's width for the help; 80 when the output is not a terminal. */
export function helpWidth(): number {
	return process.stdout.isTTY && process.stdout.columns > 20 ? process.stdout.columns : 80;
}

async function completion({t, words, commands}: RunContext): Promise<number> {
	const shell = words[0] ?? '';
	const docs = await import('./command-docs.js');
	if (shell === 'bash') return write(docs.bashCompletion(commands));
	if (shell === 'zsh') return write(docs.zshCompletion(commands));
	throw new UsageError(t('cli.badShell', {shell}));
}

async function man({t, commands}: RunContext): Promise<number> {
	return write((await import('./command-docs.js')).manPage(t, commands));
}

export const RUNNERS: Record<string, Runner> = {portal, demo, admin, status, outbox, crl, sign, logout, verify, reports, clock, phone, help, completion, man};
