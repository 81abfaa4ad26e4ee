/*
 * Every flag of the command line with its type (see command-table.ts). Its own module so that
 * the help, completion and man page read the flags without importing the table (and its runners).
 */

export interface FlagSpec {
	/** As written on the command line, without the dashes (`--no-motion` for the negated default). */
	readonly cli: string;
	readonly type: 'string' | 'boolean';
	readonly default?: boolean;
	readonly shortFlag?: string;
	/** A string flag that may be given without a value (`demo --scenario` alone lists the scenarios). */
	readonly optionalValue?: boolean;
}

/** Every flag, by the camel-case name the commands read (as meow gives it). */
export const FLAGS = {
	data: {cli: 'data', type: 'string'},
	store: {cli: 'store', type: 'string'},
	lang: {cli: 'lang', type: 'string'},
	screenReader: {cli: 'screen-reader', type: 'boolean'},
	motion: {cli: 'no-motion', type: 'boolean', default: true},
	highContrast: {cli: 'high-contrast', type: 'boolean'},
	showSms: {cli: 'show-sms', type: 'boolean'},
	guide: {cli: 'guide', type: 'boolean'},
	showKeys: {cli: 'show-keys', type: 'boolean'},
	reset: {cli: 'reset', type: 'boolean'},
	keepEnrolled: {cli: 'keep-enrolled', type: 'boolean'},
	yes: {cli: 'yes', type: 'boolean'},
	scenario: {cli: 'scenario', type: 'string', optionalValue: true},
	user: {cli: 'user', type: 'string'},
	all: {cli: 'all', type: 'boolean'},
	json: {cli: 'json', type: 'boolean'},
	count: {cli: 'count', type: 'string'},
	print: {cli: 'print', type: 'boolean'},
	approve: {cli: 'approve', type: 'boolean'},
	deny: {cli: 'deny', type: 'boolean'},
	passwordStdin: {cli: 'password-stdin', type: 'boolean'},
	pinStdin: {cli: 'pin-stdin', type: 'boolean'},
	otp: {cli: 'otp', type: 'string'},
	sendOtp: {cli: 'send-otp', type: 'boolean'},
	extract: {cli: 'extract', type: 'string'},
	name: {cli: 'name', type: 'string'},
	surname: {cli: 'surname', type: 'string'},
	codiceFiscale: {cli: 'codice-fiscale', type: 'string'},
	phone: {cli: 'phone', type: 'string'},
	email: {cli: 'email', type: 'string'},
	csv: {cli: 'csv', type: 'string'},
	reason: {cli: 'reason', type: 'string'},
	deadline: {cli: 'deadline', type: 'string'},
	pem: {cli: 'pem', type: 'boolean'},
	warnDays: {cli: 'warn-days', type: 'string'},
	group: {cli: 'group', type: 'string'},
	help: {cli: 'help', type: 'boolean', shortFlag: 'h'},
	version: {cli: 'version', type: 'boolean'},
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;

/** What `--x` names on the command line, e.g. `--no-motion` → motion, `--codice-fiscale` → codiceFiscale. */
export function flagNameOf(written: string): FlagName | undefined {
	const bare = written.replace(/^-+/, '').split('=')[0]!;
	if (bare === 'h' && written === '-h') return 'help';
	for (const [name, spec] of Object.entries(FLAGS) as [FlagName, FlagSpec][]) {
		if (spec.cli === bare) return name;
		// meow also accepts the positive form of a negated default and `--no-` before a switch.
		if (spec.type === 'boolean' && (spec.cli === `no-${bare}` || `no-${spec.cli}` === bare)) return name;
	}
	return undefined;
}
