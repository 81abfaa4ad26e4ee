import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Clock} from '../../source/core/clock.js';
import {Portal} from '../../source/core/portal.js';

/** A clock tests move by hand. */
export class ManualClock implements Clock {
	constructor(private current: Date) {}
	now(): Date {
		return new Date(this.current);
	}
	advance(milliseconds: number): void {
		this.current = new Date(this.current.getTime() + milliseconds);
	}
	set(date: Date): void {
		this.current = new Date(date);
	}
}

export const DEMO_NOW = new Date('2026-11-24T09:00:00Z');

export function temporaryDirectory(): {path: string; remove: () => void} {
	const path = mkdtempSync(join(tmpdir(), 'mysign-test-'));
	return {path, remove: () => rmSync(path, {recursive: true, force: true})};
}

/** A data folder holding the demo data set, and a portal opened on it. */
export async function demoPortal(clock = new ManualClock(DEMO_NOW)): Promise<{portal: Portal; clock: ManualClock; directory: string; remove: () => void}> {
	const folder = temporaryDirectory();
	await Portal.createDemo({dataDirectory: folder.path, clock});
	const portal = await Portal.open({dataDirectory: folder.path, clock, terminal: 'test'});
	return {portal, clock, directory: folder.path, remove: folder.remove};
}

export const MARIO = {userId: 'JCPD7173', email: 'mario.rossi@example.it', password: 'Girasole&42', pin: '27182818'};
