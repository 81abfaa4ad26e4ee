import type {EnrolledHolder, EnrollmentInput} from '../../source/core/admin/enrollment.js';
import type {ClockChange} from '../../source/core/clock-control.js';
import type {Scenario} from '../../source/core/demo/scenarios.js';
import type {Portal} from '../../source/core/portal.js';

/*
 * Setting up a demo data folder in the test process, for tests whose subject comes after (the
 * TUI, another command): what `mysign demo --scenario NAME --user ID` and `mysign clock …` do,
 * through the same portal calls (source/cli/demo.ts, source/cli/clock.ts), without starting the
 * CLI (0.4–0.7 s of CPU each). The commands themselves keep their own tests (scenarios.test.ts,
 * demo-room.test.ts, json-shapes.test.ts, tui.test.ts).
 *
 * Like the CLI, the portal runs on the folder's own clock. The core is loaded on first use.
 */

async function folderPortal(dataDirectory: string): Promise<Portal> {
	const {Portal} = await import('../../source/core/portal.js');
	return Portal.open({dataDirectory, terminal: 'test'});
}

/** `mysign demo --scenario NAME --user ID --data DIR` (MARIO when no holder is named). */
export async function applyScenario(dataDirectory: string, scenario: Scenario, userId = 'JCPD7173'): Promise<void> {
	await (await folderPortal(dataDirectory)).demo.applyScenario(userId, scenario);
}

/** `mysign clock set|advance|reset … --data DIR` on a training folder. */
export async function changeClock(dataDirectory: string, change: ClockChange): Promise<void> {
	await (await folderPortal(dataDirectory)).folder.changeClock(change);
}

/**
 * `mysign admin enroll --csv FILE --data DIR` of these rows (numbered as a CSV's): the holders,
 * their certificates and the e-mails with their envelopes, as the command leaves them. The
 * argon2 hashes and keys cost the same here; the CLI's start and module loading are saved.
 */
export async function enrollHolders(dataDirectory: string, rows: readonly EnrollmentInput[]): Promise<EnrolledHolder[]> {
	const admin = await (await folderPortal(dataDirectory)).admin.commands();
	return admin.enroll(
		rows.map(({name, surname, codiceFiscale, phone, email}) => ({name, surname, codiceFiscale, phone, email})),
		{numbered: true},
	);
}
