import {demoRoster, DomainError, hasDatabase, loadPortal, loadScenarios, type DemoCreation, type Portal, type Scenario} from '../core/index.js';
import {describeError, type Language, type MessageKey, type Translate} from '../ui/i18n/index.js';
import {confirmed} from './confirm.js';
import {UsageError} from './usage.js';
import {jsonDocument} from './time.js';

/*
 * `mysign demo`: the training folder. Creates the demo data set (or says it is there), recreates
 * it (`--reset`, after a question on the terminal or `--yes`), brings every holder back to its
 * first state keeping the room (`--reset --keep-enrolled`), puts holders in a scenario
 * (`--scenario NAME --user ID` or `--all`) and lists the scenarios (`--scenario` alone).
 * Exit 0 done, 1 the trainer answered no (nothing changed), 2 a usage error or no terminal to
 * ask without `--yes` (nothing changed).
 */

export interface DemoFlags {
	reset: boolean;
	keepEnrolled: boolean;
	yes: boolean;
	all: boolean;
	scenario?: string;
	user?: string;
	json: boolean;
}

const out = (text: string) => process.stdout.write(text + '\n');

/** An operator in `--json`: the one name field is the full name, so `fullName` (`name` is a given name everywhere). */
function operatorJson<T extends {name: string}>({name, ...rest}: T): Omit<T, 'name'> & {fullName: string} {
	return {...rest, fullName: name};
}

/** `mysign demo --scenario` without a name: each scenario with what it does. */
async function listScenarios(t: Translate, json: boolean): Promise<number> {
	const {SCENARIOS} = await loadScenarios();
	const rows = SCENARIOS.map(name => ({scenario: name, description: t(`scenario.about.${name}` as MessageKey)}));
	if (json) out(jsonDocument({scenarios: rows}));
	else out([t('cli.scenarioList'), ...rows.map(row => `  ${row.scenario.padEnd(12)} ${row.description}`), t('cli.scenarioListUsage')].join('\n'));
	return 0;
}

/** Asks before replacing a folder that has a database; true to go ahead. */
async function confirmReset(t: Translate, dataDirectory: string, flags: DemoFlags): Promise<boolean> {
	if (!(await hasDatabase(dataDirectory))) return true;
	return confirmed(t, t(flags.keepEnrolled ? 'cli.confirm.resetKeep' : 'cli.confirm.reset', {directory: dataDirectory}), flags.yes);
}

export async function demoCommand(t: Translate, language: Language, dataDirectory: string, flags: DemoFlags): Promise<number> {
	if (flags.keepEnrolled && !flags.reset) throw new UsageError(t('cli.keepEnrolledNeedsReset'));
	if (flags.scenario === '') return listScenarios(t, flags.json);
	if (flags.all && flags.scenario === undefined) throw new UsageError(t('cli.allNeedsScenario'));
	if (flags.all && flags.user !== undefined) throw new UsageError(t('cli.allOrUser'));
	if (flags.scenario === undefined && flags.user !== undefined) throw new UsageError(t('cli.userNeedsScenario'));
	if (flags.scenario !== undefined) {
		const {isScenario, SCENARIOS} = await loadScenarios();
		if (!isScenario(flags.scenario)) throw new UsageError(t('cli.badScenario', {value: flags.scenario, allowed: SCENARIOS.join(', ')}));
	}
	if (flags.reset && !(await confirmReset(t, dataDirectory, flags))) return 1;
	const Portal = await loadPortal();
	if (flags.reset && flags.keepEnrolled && (await hasDatabase(dataDirectory))) {
		const started = performance.now();
		const portal = await Portal.open({dataDirectory, terminal: 'demo'});
		const result = await portal.demo.resetRoom();
		const seconds = (performance.now() - started) / 1000;
		if (flags.scenario === undefined) return printRoomReset(t, language, dataDirectory, result, seconds, flags.json);
	}
	const created = await Portal.createDemo({dataDirectory, reset: flags.reset && !flags.keepEnrolled});
	if (flags.scenario !== undefined) return scenario(t, dataDirectory, flags);
	return printDemo(t, language, dataDirectory, created, flags);
}

async function scenario(t: Translate, dataDirectory: string, flags: DemoFlags): Promise<number> {
	const name = flags.scenario as Scenario;
	const portal = await (await loadPortal()).open({dataDirectory, terminal: 'demo'});
	let userIds: string[];
	try {
		if (flags.all) userIds = await portal.demo.applyScenarioToAll(name);
		else {
			const userId = (flags.user ?? 'JCPD7173').trim().toUpperCase();
			await portal.demo.applyScenario(userId, name);
			userIds = [userId];
		}
	} catch (error) {
		if (error instanceof DomainError && error.code === 'scenario.unknown') throw new UsageError(describeError(t, error));
		throw error;
	}
	if (flags.json) out(JSON.stringify(flags.all ? {scenario: name, userIds} : {scenario: name, userId: userIds[0]}));
	else out(flags.all ? t('cli.scenarioAppliedAll', {scenario: name, count: userIds.length}) : t('cli.scenarioApplied', {scenario: name, userId: userIds[0]!}));
	return 0;
}

type Created = DemoCreation;

function credentialLines(t: Translate, language: Language, {credentials, operators}: Pick<Created, 'credentials' | 'operators'>): string[] {
	const lines = [t('cli.demoCredentials')];
	for (const holder of credentials) {
		lines.push(`  ${holder.userId}  ${`${holder.name} ${holder.surname}`.padEnd(16)} password ${holder.password.padEnd(14)} PIN ${holder.pin}  ERC ${holder.erc}  (${holder.about[language]})`);
	}
	for (const operator of operators) lines.push(`  ${operator.userId}   ${operator.name.padEnd(16)} password ${operator.password}  (RAO)`);
	return lines;
}

function printDemo(t: Translate, language: Language, dataDirectory: string, created: Created, flags: DemoFlags): number {
	if (flags.json) {
		out(jsonDocument({dataDirectory, created: created.created, holders: created.credentials, operators: created.operators.map(operatorJson)}));
		return 0;
	}
	const headline = !created.created ? 'cli.demoExists' : flags.reset ? 'cli.demoReset' : 'cli.demoCreated';
	out([t(headline, {directory: dataDirectory}), '', ...credentialLines(t, language, created)].join('\n'));
	return 0;
}

async function printRoomReset(
	t: Translate,
	language: Language,
	dataDirectory: string,
	result: Awaited<ReturnType<Portal['demo']['resetRoom']>>,
	seconds: number,
	json: boolean,
): Promise<number> {
	const roster = await demoRoster();
	// Only the demo holders this folder has (a live folder's room has none).
	const present = new Set([...result.reset, ...result.skipped]);
	const demo = {credentials: roster.credentials.filter(holder => present.has(holder.userId)), operators: roster.operators};
	if (json) {
		out(jsonDocument({dataDirectory, ...result, seconds: Number(seconds.toFixed(2)), holders: demo.credentials, operators: demo.operators.map(operatorJson)}));
		return 0;
	}
	const lines = [t('cli.roomReset', {directory: dataDirectory, count: result.reset.length, duration: seconds.toFixed(1)}), t('cli.roomResetEnvelopes', {count: result.envelopes.length})];
	if (result.withoutEnvelope.length > 0) lines.push(t('cli.roomResetNoEnvelope', {holders: result.withoutEnvelope.join(', ')}));
	if (result.skipped.length > 0) lines.push(t('cli.roomResetSkipped', {holders: result.skipped.join(', ')}));
	if (result.couponsFreed > 0) lines.push(t('cli.roomResetCoupons', {count: result.couponsFreed}));
	lines.push('', ...credentialLines(t, language, demo));
	out(lines.join('\n'));
	return 0;
}
