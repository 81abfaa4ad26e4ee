import {describe, expect, it} from 'vitest';
import {isUserId, newUserId} from '../../../source/core/holders/user-id.js';
import {databaseSchema} from '../../../source/core/store/schema.js';
import {findHolder} from '../../../source/core/auth/login.js';
import {holderDocument} from '../../helpers/data-folder.js';
import {storeOf} from '../../helpers/internals.js';
import {demoPortal, MARIO} from '../../helpers/portal.js';

/*
 * Issue 22: userIDs beyond 9 999 holders. "JCPD" and 4 digits while fewer than half of the
 * 4-digit numbers are taken, then 5 digits, up to 8; the store, the login and the CLI take them.
 */

const fourDigits = (count: number) => new Set(Array.from({length: count}, (_, index) => `JCPD${1000 + index}`));

describe('new userIDs', () => {
	it('are JCPD and 4 digits, never one already taken', () => {
		const taken = fourDigits(4000);
		for (let draw = 0; draw < 500; draw++) {
			const userId = newUserId(taken);
			expect(userId).toMatch(/^JCPD[1-9]\d{3}$/);
			expect(taken.has(userId)).toBe(false);
			taken.add(userId);
		}
	});

	it('have 5 digits once half of the 4-digit numbers are taken (an organisation of 10 000 holders fits)', () => {
		const taken = fourDigits(4500);
		for (let draw = 0; draw < 6000; draw++) {
			const userId = newUserId(taken);
			expect(userId).toMatch(/^JCPD[1-9]\d{4}$/);
			taken.add(userId);
		}
		expect(taken.size).toBe(10_500);
	});

	it('the accepted form: JCPD and 4 to 8 digits', () => {
		for (const good of ['JCPD7173', 'JCPD12345', 'JCPD12345678']) expect(isUserId(good), good).toBe(true);
		for (const bad of ['JCPD717', 'JCPD123456789', 'jcpd7173', 'RAO1234', 'JCPD７１７３', 'JCPD1234 ']) expect(isUserId(bad), bad).toBe(false);
	});

	it('a 5-digit holder is stored, validated, and logs in by userID in any case', async () => {
		const {portal, directory, remove} = await demoPortal();
		try {
			// Mario's credentials and certificates under a 5-digit userID (an update never deletes a holder: Mario stays, without them).
			await storeOf(portal).update(db => {
				const holder = db.holders.find(entry => entry.userId === MARIO.userId)!;
				db.holders.push({...holder, userId: 'JCPD12345', email: 'mario.cinque@example.it'});
				for (const certificate of db.certificates) if (certificate.userId === MARIO.userId) certificate.userId = 'JCPD12345';
			});
			const db = await storeOf(portal).read();
			expect(databaseSchema.safeParse(db).success).toBe(true);
			expect(findHolder(db, 'jcpd12345')?.userId).toBe('JCPD12345');
			// Stored in a document of its own, read alone by an operation scoped to it.
			expect(holderDocument(directory, 'JCPD12345').certificates.length).toBeGreaterThan(0);
			expect((await storeOf(portal).read('JCPD12345')).holders.map(holder => holder.userId)).toEqual(['JCPD12345']);
			expect((await portal.sessions.login('jcpd12345', MARIO.password)).kind).toBe('success');
		} finally {
			remove();
		}
	});
});
