import {describe, expect, it} from 'vitest';
import {MINUTE} from '../../source/core/clock.js';
import {Portal} from '../../source/core/portal.js';
import {demoCopies} from '../helpers/demo-template.js';
import {accessEntries, GIULIA, logIn} from '../helpers/portal.js';

/*
 * "Visualizza accessi" names the terminal a change came from. With two sessions of one holder
 * open (the holder's, and one opened elsewhere with a stolen password), the change is the acting
 * session's: not whichever session was active last, which would hide the other terminal.
 */

const demoCopy = demoCopies();

describe('the terminal of a holder change in the access log', () => {
	it('is the terminal that made it, not the holder’s most recently active session', async () => {
		const {directory, clock} = await demoCopy();
		const elsewhere = await Portal.open({dataDirectory: directory, clock, terminal: '/dev/pts/9, SSH 203.0.113.7'});
		const own = await Portal.open({dataDirectory: directory, clock, terminal: '/dev/pts/3'});
		const stolen = await logIn(elsewhere, GIULIA.userId, GIULIA.password);
		clock.advance(MINUTE);
		await logIn(own, GIULIA.userId, GIULIA.password);
		await elsewhere.otp.setPush(stolen, false);
		await own.otp.setPush(await logIn(own, GIULIA.userId, GIULIA.password), true);
		const changes = (await accessEntries(own, GIULIA.userId)).filter(entry => entry.outcome === 'otp-push-changed').map(entry => entry.terminal);
		expect(changes).toEqual(['/dev/pts/9, SSH 203.0.113.7', '/dev/pts/3']);
	});
});
