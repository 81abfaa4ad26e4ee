import {existsSync, mkdirSync, readdirSync, renameSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {demoCopies} from '../helpers/demo-template.js';
import {temporaryDirectory} from '../helpers/portal.js';
import {Store} from '../../source/core/store/store.js';

/*
 * `demo --reset --keep-enrolled` empties outbox/ after its commit. In a group's folder a member
 * can rename outbox/ and put a link in its place between the listing and that cleanup: the
 * trainer's reset must never delete through it (before: `rm -r` of every entry of the target).
 */

const demoCopy = demoCopies();

afterEach(() => {
	vi.restoreAllMocks();
});

describe('room reset and a link swapped in for outbox/', () => {
	it('deletes nothing through the link', async () => {
		const {portal, directory} = await demoCopy();
		const victim = temporaryDirectory();
		writeFileSync(join(victim.path, 'precious.txt'), 'keep me\n');
		mkdirSync(join(victim.path, 'sub'));
		writeFileSync(join(victim.path, 'sub', 'notes.txt'), 'keep me too\n');
		const outbox = join(directory, 'outbox');
		// The portal's own store (it hands out none): every Store's update, in this process.
		const update = Store.prototype.update;
		let swapped = false;
		vi.spyOn(Store.prototype, 'update').mockImplementation(async function (this: Store, change) {
			const result = await update.call(this, change);
			// Right after the reset's commit, before its cleanup of outbox/.
			if (!swapped) {
				swapped = true;
				if (existsSync(outbox)) renameSync(outbox, `${outbox}.moved`);
				symlinkSync(victim.path, outbox);
			}
			return result;
		});
		const error = await portal.demo.resetRoom().catch((caught: unknown) => caught);
		expect(swapped).toBe(true);
		// Refused after the commit: said as such (the holders are reset), not as "nothing was changed".
		expect(error).toMatchObject({code: 'demo.resetIncomplete', params: {reason: 'file.notDirectory'}});
		expect(readdirSync(victim.path).sort()).toEqual(['precious.txt', 'sub']);
		expect(readdirSync(join(victim.path, 'sub'))).toEqual(['notes.txt']);
		victim.remove();
	});
});
