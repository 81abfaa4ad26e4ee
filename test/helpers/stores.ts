import {readdirSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach} from 'vitest';
import {emptyDatabase, type Holder} from '../../source/core/store/schema.js';
import {Store} from '../../source/core/store/store.js';
import {temporaryDirectory} from './holders.js';

/**
 * Stores on an empty database, each in a folder of its own removed after the test. Call once at
 * the top of a test file; the function it returns makes one.
 */
export function emptyStores(): () => Promise<Store> {
	const removals: (() => void)[] = [];
	afterEach(() => {
		while (removals.length > 0) removals.pop()!();
	});
	return async () => {
		const folder = temporaryDirectory();
		removals.push(folder.remove);
		const store = new Store(folder.path);
		await store.initialize(() => emptyDatabase());
		return store;
	};
}

/**
 * Data folder paths that do not exist yet, each inside a temp folder removed after the test. Call
 * once at the top of a test file; the function it returns gives one.
 */
export function dataFolders(): () => string {
	const removals: (() => void)[] = [];
	afterEach(() => {
		while (removals.length > 0) removals.pop()!();
	});
	return () => {
		const created = temporaryDirectory();
		removals.push(created.remove);
		return join(created.path, 'data');
	};
}

/** `run` under umask `mask`, the process's umask restored after. */
export async function withUmask<T>(mask: number, run: () => Promise<T>): Promise<T> {
	const previous = process.umask(mask);
	try {
		return await run();
	} finally {
		process.umask(previous);
	}
}

/** The temp files (`….tmp`) in a folder. */
export function temporaries(directory: string): string[] {
	return readdirSync(directory).filter(name => name.endsWith('.tmp'));
}

/** The error a promise rejects with (undefined if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
	return promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
}

/** A holder that passes the schema, for tests that break exactly one field. */
export function validHolder(): Holder {
	return {
		userId: 'JCPD1234',
		name: 'Mario',
		surname: 'Rossi',
		codiceFiscale: 'RSSMRA80A01H501U',
		phone: '+393331234567',
		email: 'mario.rossi@example.it',
		passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
		pinHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
		ercHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
		pinFailures: 0,
		replacementDeadline: null,
		createdAt: '2026-11-24T09:00:00.000Z',
		otp: {preferred: 'sms', app: null, push: false, token: null},
		report: {email: null, frequency: 'never', lastDailyReport: null},
		pukHash: null,
		recoveryPhone: null,
		secretQuestion: null,
		mustChangePassword: false,
		language: null,
	};
}
