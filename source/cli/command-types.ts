import type {Language, MessageKey, Translate} from '../ui/i18n/index.js';
import type {FlagName} from './command-flags.js';

/*
 * The shapes of the command table and of what a command's runner receives, in a module of their
 * own: the table (command-table.ts) lists the runners (command-run.ts), which receive the table;
 * with the types here neither imports the other back.
 */

export interface SubCommand {
	/** The words after the command (`coupon create`). */
	readonly words: string;
	/** Its help: synopsis and description, in lines of at most 80 columns. */
	readonly help: MessageKey;
}

export interface CommandSpec {
	/** '' is the bare `mysign` (the full-screen portal). */
	readonly name: string;
	readonly flags: readonly FlagName[];
	/** Takes words after its name (files, a sub-command, an ID). */
	readonly takesArguments: boolean;
	readonly subcommands?: readonly SubCommand[];
	/** Titles of sub-command groups (`admin coupon --help`). */
	readonly groups?: Readonly<Record<string, MessageKey>>;
	readonly summary: MessageKey;
	readonly usage: MessageKey;
	readonly description: MessageKey;
	readonly example: MessageKey;
	readonly run: Runner;
	/** Listed in the help's command list (the bare portal is the help's first line instead). */
	readonly listed: boolean;
}

/** The flags as parsed (meow's names); only those of the command's own list can be set. */
export interface ParsedFlags {
	data?: string;
	store?: string;
	lang?: string;
	screenReader?: boolean;
	motion?: boolean;
	highContrast?: boolean;
	showSms?: boolean;
	guide?: boolean;
	showKeys?: boolean;
	reset?: boolean;
	keepEnrolled?: boolean;
	yes?: boolean;
	scenario?: string;
	user?: string;
	all?: boolean;
	json?: boolean;
	count?: string;
	print?: boolean;
	approve?: boolean;
	deny?: boolean;
	passwordStdin?: boolean;
	pinStdin?: boolean;
	otp?: string;
	sendOtp?: boolean;
	extract?: string;
	name?: string;
	surname?: string;
	codiceFiscale?: string;
	phone?: string;
	email?: string;
	csv?: string;
	reason?: string;
	deadline?: string;
	pem?: boolean;
	warnDays?: string;
	group?: string;
	help?: boolean;
	version?: boolean;
}

export interface RunContext {
	t: Translate;
	language: Language;
	/** The words after the command's name. */
	words: readonly string[];
	flags: ParsedFlags;
	/** The display preferences: the flags, else the environment (MYSIGN_SCREEN_READER, …). */
	display: {screenReader: boolean; noMotion: boolean; highContrast: boolean};
	/** The command table (passed in, so the help and the documents need not import it back). */
	commands: readonly CommandSpec[];
}

export type Runner = (context: RunContext) => Promise<number>;
