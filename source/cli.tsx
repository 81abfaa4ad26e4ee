#!/usr/bin/env node
import {fileURLToPath} from 'node:url';
import type {Result} from 'meow';
import {resolveDataDirectory} from './core/paths.js';
import {readCheckedStamp, setProgramIdentity} from './core/store/checked-stamp.js';
import {UsageError} from './cli/usage.js';
import {terminalDescription} from './cli/terminal-name.js';
import {displayFor} from './ui/display.js';
import {describeError, isLanguage, translator, type Language, type Translate} from './ui/i18n/index.js';
import {cliDateTime} from './cli/time.js';
import {ignoreClosedStdout} from './cli/broken-pipe.js';

/*
 * The command line: flags and sub-commands. The only place that sets the exit code:
 * 0 success, 1 a runtime failure (e.g. an invalid database), 2 a usage error, 4 (`sign`) some
 * documents signed and others not.
 */

const HELP = {
	it: `
  Uso
    $ mysign                      apre il portale a tutto schermo
    $ mysign demo [--reset [--keep-enrolled]] [--yes] [--json]
                                  crea (o ricrea) i dati demo e ne stampa
                                  le credenziali; --reset chiede conferma
                                  (--yes negli script); --keep-enrolled
                                  riporta ogni titolare allo stato iniziale
                                  (stessa CA, buste di nuovo nell'outbox)
    $ mysign demo --scenario NOME [--user ID | --all]
                                  un titolare (o tutti) in una situazione;
                                  --scenario senza nome elenca gli scenari
    $ mysign admin enroll --name N --surname C --codice-fiscale CF --phone NUM --email E
    $ mysign admin enroll --csv FILE    (operatori) registra uno o più titolari
    $ mysign admin coupon create [--count N]   coupon di rinnovo monouso
    $ mysign admin coupon list | rao list | list [--json]
                                  coupon (usati o no), operatori RAO, titolari
    $ mysign admin --help         comandi degli operatori (e admin coupon --help)
    $ mysign admin unlock ID | reactivate ID | show ID [--pem] | list
    $ mysign admin revoke ID --reason keyCompromise|cessationOfOperation|unspecified
                  [--yes]         chiede conferma (--yes negli script)
    $ mysign admin flag-replacement ID --deadline gg/mm/aaaa
    $ mysign admin reissue ID --codice-fiscale CF   PIN bloccato o revocato:
                                  nuovo certificato, PIN ed ERC (busta via e-mail)
    $ mysign admin rao add --name NOME --phone NUM
    $ mysign admin init --group GRUPPO [--data DIR]
                                  cartella dei dati condivisa da un gruppo di utenti (2770)
    $ mysign status --user ID [--warn-days N]
                                  uscita 0 attivo, 1 in scadenza, 2 sospeso/revocato/scaduto/bloccato
    $ mysign outbox [--user ID]   SMS ed e-mail inviati; mysign outbox save N CARTELLA
                                  salva gli allegati dell'e-mail N
    $ mysign outbox show N [--json]
                                  il testo intero del messaggio N e gli allegati
    $ mysign crl [--json]         riemette la CRL (pki/crl.pem) dallo stato dei certificati
    $ mysign sign [--] FILE… --user ID [--password-stdin] [--pin-stdin] [--otp CODICE]
                  [--send-otp] [--json]
                                  accede con la password dell'account (nascosta, oppure
                                  --password-stdin: 1a riga di stdin; il PIN è la 2a con
                                  --pin-stdin), poi firma i file (FILE.p7m, CAdES) con PIN e
                                  un solo OTP; --send-otp invia prima l'SMS, --otp lo usa.
                                  La sessione resta valida per i comandi seguenti (scadenze
                                  del portale). Uscita 0 tutti firmati, 1 nessuno,
                                  4 solo alcuni (elencati), 2 uso errato
    $ mysign logout --user ID     chiude la sessione da riga di comando del titolare
    $ mysign verify FILE.p7m [--extract FILE] [--json]
                                  verifica firma, firmatario e stato del certificato
                                  (uscita 0 solo se valida)
    $ mysign reports [--json]     invia i riepiloghi giornalieri delle firme dovuti
    $ mysign clock [set DATA-ORA | advance DURATA | reset] [--json]
                                  l'orologio della cartella: reale in una cartella reale; in
                                  una di esercitazione (mysign demo) lo sposta il formatore
                                  per tutti (es. clock set 2027-01-20T10:00, clock advance 16m)
    $ mysign phone --user ID [--print] [--json] [--approve | --deny]
                                  il telefono del titolare: SMS ricevuti, codici dell'app,
                                  approvazione degli accessi; --print stampa e termina;
                                  --approve/--deny rispondono alla richiesta di conferma
                                  in attesa (uscita 1 se non ce n'è)

  Opzioni
    --data DIR          cartella dei dati (default: $MYSIGN_DATA, poi data/ nel checkout,
                        poi $XDG_DATA_HOME/mysign)
    --lang it|en        lingua dell'interfaccia (default: it)
    --screen-reader     modalità lettore di schermo (anche INK_SCREEN_READER=true)
    --show-sms          mostra nel portale gli SMS in arrivo (demo su un solo terminale)
    --guide             a ogni passo, cosa dice la guida ufficiale (per chi si esercita da solo)
    --show-keys         mostra gli ultimi tasti premuti (per chi segue lo schermo del formatore)
    --help              questo aiuto
    --version           versione
`,
	en: `
  Usage
    $ mysign                      opens the full-screen portal
    $ mysign demo [--reset [--keep-enrolled]] [--yes] [--json]
                                  creates (or recreates) the demo data and
                                  prints its credentials; --reset asks first
                                  (--yes in scripts); --keep-enrolled puts
                                  every holder back to its first state (same
                                  CA, the envelopes in the outbox again)
    $ mysign demo --scenario NAME [--user ID | --all]
                                  a holder (or all) in a situation; without
                                  a NAME, --scenario lists the scenarios
    $ mysign admin enroll --name N --surname S --codice-fiscale CF --phone NUM --email E
    $ mysign admin enroll --csv FILE    (operators) enrols one or more holders
    $ mysign admin coupon create [--count N]   single-use renewal coupons
    $ mysign admin coupon list | rao list | list [--json]
                                  coupons (used or not), RAO operators, holders
    $ mysign admin --help         the operator commands (and admin coupon --help)
    $ mysign admin unlock ID | reactivate ID | show ID [--pem] | list
    $ mysign admin revoke ID --reason keyCompromise|cessationOfOperation|unspecified
                  [--yes]         asks on the terminal first (--yes in scripts)
    $ mysign admin flag-replacement ID --deadline dd/mm/yyyy
    $ mysign admin reissue ID --codice-fiscale CF   PIN blocked or revoked:
                                  new certificate, PIN and ERC (envelope by e-mail)
    $ mysign admin rao add --name NAME --phone NUM
    $ mysign admin init --group GROUP [--data DIR]
                                  a data folder shared by a group of OS users (2770)
    $ mysign status --user ID [--warn-days N]
                                  exit 0 active, 1 expiring, 2 suspended/revoked/expired/blocked
    $ mysign outbox [--user ID]   SMS and e-mails sent; mysign outbox save N FOLDER
                                  saves e-mail N's attachments
    $ mysign outbox show N [--json]
                                  message N's full text and its attachments
    $ mysign crl [--json]         reissues the CRL (pki/crl.pem) from the certificates' states
    $ mysign sign [--] FILE… --user ID [--password-stdin] [--pin-stdin] [--otp CODE]
                  [--send-otp] [--json]
                                  logs in with the account password (hidden, or
                                  --password-stdin: stdin's 1st line; the PIN is the 2nd with
                                  --pin-stdin), then signs the files (FILE.p7m, CAdES) with the
                                  PIN and one OTP; --send-otp sends the SMS first, --otp uses
                                  it. The session serves the next commands (the portal's
                                  timeouts). Exit 0 all signed, 1 none, 4 only some (listed),
                                  2 usage error
    $ mysign logout --user ID     ends the holder's command-line session
    $ mysign verify FILE.p7m [--extract FILE] [--json]
                                  checks the signature, the signer and the certificate's
                                  status (exit 0 only when valid)
    $ mysign reports [--json]     sends the daily signature summaries that are due
    $ mysign clock [set DATE-TIME | advance DURATION | reset] [--json]
                                  the folder's clock: real time in a live folder; in a training
                                  folder (mysign demo) the trainer moves it for everyone
                                  (e.g. clock set 2027-01-20T10:00, clock advance 16m)
    $ mysign phone --user ID [--print] [--json] [--approve | --deny]
                                  the holder's phone: received SMS, app codes, login
                                  approvals; --print prints them and exits;
                                  --approve/--deny answer the confirmation request
                                  waiting (exit 1 when there is none)

  Options
    --data DIR          data folder (default: $MYSIGN_DATA, then data/ in a checkout,
                        then $XDG_DATA_HOME/mysign)
    --lang it|en        interface language (default: it)
    --screen-reader     screen-reader mode (also INK_SCREEN_READER=true, and TERM=dumb)
    --no-motion         no spinners or ticking countdowns (always so with --screen-reader)
    --high-contrast     no dimmed text, bright colours (NO_COLOR / FORCE_COLOR are honoured)
    --show-sms          show arriving SMS inside the portal (single-terminal demos)
    --guide             at every step, what the official guide says (for trainees on their own)
    --show-keys         show the last keys pressed (for a room watching the trainer's screen)
    --help              this help
    --version           version
`,
};

const FLAGS = {
	data: {type: 'string'},
	lang: {type: 'string'},
	screenReader: {type: 'boolean'},
	motion: {type: 'boolean', default: true},
	highContrast: {type: 'boolean'},
	reset: {type: 'boolean'},
	keepEnrolled: {type: 'boolean'},
	yes: {type: 'boolean'},
	all: {type: 'boolean'},
	json: {type: 'boolean'},
	user: {type: 'string'},
	count: {type: 'string'},
	print: {type: 'boolean'},
	approve: {type: 'boolean'},
	deny: {type: 'boolean'},
	showSms: {type: 'boolean'},
	guide: {type: 'boolean'},
	showKeys: {type: 'boolean'},
	pinStdin: {type: 'boolean'},
	passwordStdin: {type: 'boolean'},
	otp: {type: 'string'},
	sendOtp: {type: 'boolean'},
	extract: {type: 'string'},
	name: {type: 'string'},
	surname: {type: 'string'},
	codiceFiscale: {type: 'string'},
	phone: {type: 'string'},
	email: {type: 'string'},
	csv: {type: 'string'},
	reason: {type: 'string'},
	deadline: {type: 'string'},
	pem: {type: 'boolean'},
	warnDays: {type: 'string'},
	scenario: {type: 'string'},
	group: {type: 'string'},
	help: {type: 'boolean'},
	version: {type: 'boolean'},
} as const;

const COMMAND_FLAGS: Record<string, readonly string[]> = {
	'': ['data', 'lang', 'screenReader', 'motion', 'highContrast', 'showSms', 'guide', 'showKeys', 'help', 'version'],
	demo: ['data', 'lang', 'reset', 'keepEnrolled', 'yes', 'scenario', 'user', 'all', 'json', 'help'],
	phone: ['data', 'lang', 'screenReader', 'motion', 'highContrast', 'user', 'print', 'json', 'approve', 'deny', 'showKeys', 'help'],
	crl: ['data', 'lang', 'json', 'help'],
	admin: ['data', 'lang', 'count', 'name', 'surname', 'codiceFiscale', 'phone', 'email', 'csv', 'reason', 'deadline', 'pem', 'group', 'yes', 'json', 'help'],
	status: ['data', 'lang', 'user', 'warnDays', 'json', 'help'],
	outbox: ['data', 'lang', 'user', 'json', 'help'],
	sign: ['data', 'lang', 'user', 'passwordStdin', 'pinStdin', 'otp', 'sendOtp', 'json', 'help'],
	logout: ['data', 'lang', 'user', 'json', 'help'],
	verify: ['data', 'lang', 'extract', 'json', 'help'],
	reports: ['data', 'lang', 'json', 'help'],
	clock: ['data', 'lang', 'json', 'help'],
};

/** Commands that take arguments after their name (files, a userID, a sub-command). */
const COMMANDS_WITH_ARGUMENTS = ['sign', 'verify', 'admin', 'outbox', 'clock'];

/** The language is needed before meow prints help, so it is read from argv first. */
function languageFromArgv(argv: readonly string[]): Language {
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index]!;
		const value = argument.startsWith('--lang=') ? argument.slice(7) : argument === '--lang' ? argv[index + 1] : undefined;
		if (value !== undefined && isLanguage(value)) return value;
	}
	return 'it';
}

function camel(flag: string): string {
	return flag.replace(/^-+/, '').replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The flag names written on the command line (`--name`, `--name=value`, `-x`), up to a bare `--`. */
function flagsIn(argv: readonly string[]): string[] {
	const flags: string[] = [];
	for (const argument of argv) {
		if (argument === '--') break;
		if (argument.startsWith('-') && argument !== '-') flags.push(argument.split('=')[0]!.replace(/^--no-/, '--'));
	}
	return flags;
}

type ParsedArguments = Pick<Result<typeof FLAGS>, 'input' | 'flags' | 'help'> & {version: string | undefined};

async function parseArguments(argv: readonly string[], language: Language, t: Translate): Promise<ParsedArguments> {
	const portal = portalFlags(argv);
	if (portal) return {input: [], flags: portal, help: '', version: undefined};
	const {default: meow} = await import('meow');
	try {
		const cli = meow(HELP[language], {importMeta: import.meta, argv: [...argv], flags: FLAGS, allowUnknownFlags: true, autoHelp: false, autoVersion: false});
		return {input: cli.input, flags: cli.flags, help: cli.help, version: cli.pkg.version};
	} catch (error) {
		// meow refuses e.g. a flag given twice: a usage error, said as meow says it.
		throw new UsageError(`${error instanceof Error ? error.message : String(error)} ${t('cli.seeHelp')}`);
	}
}

const PORTAL_VALUE_FLAGS = {'--data': 'data', '--lang': 'lang'} as const;
const PORTAL_SWITCHES = {'--screen-reader': 'screenReader', '--high-contrast': 'highContrast', '--show-sms': 'showSms', '--guide': 'guide', '--show-keys': 'showKeys'} as const;

/**
 * The flags of a bare `mysign` (the full-screen portal) read without loading meow, which took
 * ~30 ms of the start to the login screen. Only plain forms are read: `--switch`, `--no-motion`,
 * `--data`/`--lang` with a value (`--flag value` or `--flag=value`), each at most once.
 * Anything else (a command, --help, --version, an unknown or repeated flag, a missing value)
 * gives undefined: meow reads it and accepts or refuses it exactly as before.
 */
function portalFlags(argv: readonly string[]): ParsedArguments['flags'] | undefined {
	const flags: Record<string, string | boolean | undefined> = {motion: true, screenReader: false, highContrast: false, showSms: false, guide: false, showKeys: false};
	const given = new Set<string>();
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index]!;
		const equals = argument.indexOf('=');
		const name = equals === -1 ? argument : argument.slice(0, equals);
		if (given.has(name)) return undefined;
		given.add(name);
		if (Object.hasOwn(PORTAL_VALUE_FLAGS, name)) {
			const value = equals === -1 ? argv[++index] : argument.slice(equals + 1);
			if (value === undefined || value === '' || value.startsWith('-')) return undefined;
			flags[PORTAL_VALUE_FLAGS[name as keyof typeof PORTAL_VALUE_FLAGS]] = value;
		} else if (equals === -1 && Object.hasOwn(PORTAL_SWITCHES, name)) {
			flags[PORTAL_SWITCHES[name as keyof typeof PORTAL_SWITCHES]] = true;
		} else if (argument === '--no-motion') {
			flags['motion'] = false;
		} else {
			return undefined;
		}
	}
	return flags as ParsedArguments['flags'];
}

/** The domain's code (and its schema library) loads only when a command needs it: see the TUI start below. */
async function loadPortal() {
	return (await import('./core/portal.js')).Portal;
}

async function main(argv: readonly string[]): Promise<number> {
	// In the bundle the entry file names every chunk by a hash of its content, so it identifies the
	// whole program (see checked-stamp.ts); run from the sources there is no bundle to identify.
	if (import.meta.url.endsWith('.js')) setProgramIdentity(fileURLToPath(import.meta.url));
	const language = languageFromArgv(argv);
	const t = translator(language);
	const cli = await parseArguments(argv, language, t);

	const [command = '', ...extra] = cli.input;
	const allowed = COMMAND_FLAGS[command];
	if (!allowed) throw new UsageError(t('cli.unknownCommand', {command}));
	if (extra.length > 0 && !COMMANDS_WITH_ARGUMENTS.includes(command)) throw new UsageError(t('cli.unknownCommand', {command: `${command} ${extra.join(' ')}`.trim()}));
	// `admin [WORDS…] --help`: the operator commands (an unknown word is refused below, exit 2).
	if (command === 'admin' && cli.flags.help) {
		process.stdout.write((await import('./cli/admin-help.js')).adminHelp(t, extra) + '\n');
		return 0;
	}
	if (command === 'admin') {
		const {parseAdminWords} = await import('./cli/admin.js');
		parseAdminWords(t, extra);
	}
	// The clock belongs to the data folder: a process's own time would bend the rules for everyone.
	if (flagsIn(argv).includes('--now')) throw new UsageError(t('cli.nowRemoved', {what: '--now'}));
	if (process.env['MYSIGN_NOW']) throw new UsageError(t('cli.nowRemoved', {what: 'MYSIGN_NOW'}));
	// meow fills booleans with false, so presence is judged from argv itself.
	for (const flag of flagsIn(argv)) {
		if (!allowed.includes(camel(flag))) throw new UsageError(t('cli.unknownFlag', {flag}));
	}
	if (cli.flags.help) {
		process.stdout.write(cli.help + '\n');
		return 0;
	}
	if (cli.flags.version) {
		process.stdout.write(cli.version + '\n');
		return 0;
	}
	if (cli.flags.lang !== undefined && !isLanguage(cli.flags.lang)) throw new UsageError(t('cli.badLang', {lang: cli.flags.lang}));
	if (cli.flags.data === '') throw new UsageError(t('cli.unknownFlag', {flag: '--data'}));
	// Every argument is checked before the data folder is looked at (see preflight.ts).
	if (command !== '') (await import('./cli/preflight.js')).checkArguments(t, command, extra, cli.flags, Boolean(process.stdin.isTTY && process.stderr.isTTY));

	const dataDirectory = resolveDataDirectory(cli.flags.data);

	if (command === 'demo') {
		const {reset = false, keepEnrolled = false, yes = false, all = false, json = false} = cli.flags;
		return (await import('./cli/demo.js')).demoCommand(t, language, dataDirectory, {reset, keepEnrolled, yes, all, json, scenario: cli.flags.scenario, user: cli.flags.user});
	}
	const display = displayFor({screenReader: cli.flags.screenReader, noMotion: !cli.flags.motion, highContrast: cli.flags.highContrast}, process.env);
	if (command === 'admin' && extra[0] === 'init') return (await import('./cli/admin.js')).initCommand(t, dataDirectory, {group: cli.flags.group, json: cli.flags.json ?? false});
	if (command === 'admin' && extra[0] === 'enroll') {
		// Enrolment into a folder without a database starts a live one (real time; see mysign clock),
		// once the rows are known to be right: a refused enrolment creates nothing.
		const {count, name, surname, codiceFiscale, phone, email, csv, reason, deadline} = cli.flags;
		await (await import('./cli/admin.js')).enrollmentRows(t, {json: false, pem: false, count, name, surname, codiceFiscale, phone, email, csv, reason, deadline});
		if (await (await loadPortal()).createLive({dataDirectory})) process.stderr.write(t('cli.liveCreated', {directory: dataDirectory}) + '\n');
	}
	if (command === 'admin' || command === 'status' || command === 'outbox') {
		const portal = await (await loadPortal()).open({dataDirectory, terminal: command});
		const {adminCommand, statusCommand} = await import('./cli/admin.js');
		const json = cli.flags.json ?? false;
		if (command === 'status') return statusCommand(t, language, portal, {user: cli.flags.user, warnDays: cli.flags.warnDays, json});
		if (command === 'outbox') return (await import('./cli/outbox.js')).outboxCommand(t, language, portal, extra, {user: cli.flags.user, json});
		const {count, name, surname, codiceFiscale, phone, email, csv, reason, deadline} = cli.flags;
		return adminCommand(t, language, portal, extra, {json, pem: cli.flags.pem ?? false, yes: cli.flags.yes ?? false, count, name, surname, codiceFiscale, phone, email, csv, reason, deadline});
	}
	if (command === 'clock') {
		const {clockCommand, parseClockWords} = await import('./cli/clock.js');
		const change = parseClockWords(t, extra);
		const portal = await (await loadPortal()).open({dataDirectory, terminal: 'clock'});
		return clockCommand({t, portal, change, json: cli.flags.json ?? false, formatTime: date => cliDateTime(language, date, {seconds: true})});
	}
	if (command === 'crl') {
		const portal = await (await loadPortal()).open({dataDirectory, terminal: 'crl'});
		const file = await portal.refreshCertificates({always: true});
		process.stdout.write(cli.flags.json ? JSON.stringify({crl: file, ca: file.replace(/crl\.pem$/, 'ca.pem')}) + '\n' : t('cli.crlWritten', {file}) + '\n');
		return 0;
	}
	if (command === 'logout' && !cli.flags.user) throw new UsageError(t('logout.cli.needUser'));
	if (command === 'sign' || command === 'verify' || command === 'reports' || command === 'logout') {
		const portal = await (await loadPortal()).open({dataDirectory, terminal: command === 'verify' || command === 'reports' ? command : `CLI mysign ${command} ${terminalDescription()}`});
		if (command === 'logout') return (await import('./cli/login.js')).logoutCommand({t, portal, dataDirectory, userId: cli.flags.user, json: cli.flags.json ?? false});
		const {signCommand, verifyCommand} = await import('./cli/sign.js');
		if (command === 'verify') return verifyCommand({t, language, portal, file: extra[0], extract: cli.flags.extract, json: cli.flags.json ?? false});
		if (command === 'sign') {
			const {passwordStdin = false, pinStdin = false, sendOtp = false, json = false} = cli.flags;
			return signCommand({t, language, portal, dataDirectory, userId: cli.flags.user, files: extra, passwordStdin, pinStdin, otp: cli.flags.otp, sendOtp, json});
		}
		const sent = await portal.sendDailyReports();
		process.stdout.write((cli.flags.json ? JSON.stringify({sent}) : t('cli.reportsSent', {count: sent})) + '\n');
		return 0;
	}
	if (command === 'phone') {
		const open = async () => (await loadPortal()).open({dataDirectory, terminal: 'phone'});
		const {approve = false, deny = false, print = false, json = false, showKeys = false} = cli.flags;
		return (await import('./cli/phone.js')).phoneCommand({t, language, open, user: cli.flags.user, print, json, approve, deny, display, showKeys});
	}

	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		process.stderr.write(t('cli.noTty') + '\n');
		return 2;
	}
	// Keys typed while the data loads are not echoed over the screen; Ink keeps raw mode from here.
	process.stdin.setRawMode(true);
	process.once('exit', () => process.stdin.setRawMode(false));
	// The interface's code (Ink, React, the screens) loads while the data folder is read.
	const ui = import('./ui/run.js');
	ui.catch(() => undefined); // awaited below; a failed open must not leave it unhandled
	const options = {language, display, showSms: cli.flags.showSms ?? false, guide: cli.flags.guide ?? false, showKeys: cli.flags.showKeys ?? false};
	const open = async () => (await loadPortal()).open({dataDirectory, terminal: terminalDescription()});
	// db.json as this program last validated and wrote it: the login screen comes first, and the
	// portal opens (validating the database in full) right after it, while keys wait.
	const checked = readCheckedStamp(dataDirectory);
	if (checked) return (await ui).runTui({...options, portal: open, maxLoginAttempts: checked.loginMaxAttempts});
	// Otherwise the database is validated before the screen changes. The embedded default: a data
	// folder without a database starts with the demo data set.
	await (await loadPortal()).createDemoIfMissing({dataDirectory});
	const portal = await open();
	const settings = await portal.settings();
	return (await ui).runTui({...options, portal, maxLoginAttempts: settings.loginMaxAttempts});
}

ignoreClosedStdout();
main(process.argv.slice(2)).then(
	code => {
		process.exitCode = code;
	},
	(error: unknown) => {
		const t = translator(languageFromArgv(process.argv.slice(2)));
		process.stderr.write((error instanceof UsageError ? error.message : describeError(t, error)) + '\n');
		process.exitCode = error instanceof UsageError ? 2 : 1;
	},
);
