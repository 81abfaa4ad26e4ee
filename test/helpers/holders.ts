import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Clock} from '../../source/core/clock.js';

/*
 * The demo holders, the demo's fixed time, a hand-moved clock and temporary folders, without the
 * core: an end-to-end test that only drives the built CLI imports these from here, so its test
 * process does not load (and evaluate) the whole core it never calls. helpers/portal.ts re-exports them.
 */

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

export const MARIO = {userId: 'JCPD7173', email: 'mario.rossi@example.it', password: 'Girasole&42', pin: '27182818'};
export const GIULIA = {userId: 'JCPD2841', email: 'giulia.bianchi@example.it', password: 'Tramonto!73', pin: '31415926'};
