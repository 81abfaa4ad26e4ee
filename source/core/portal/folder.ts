import {suspensionIsOver} from '../certificate/record.js';
import {changeFolderTime, describeFolderTime, type ClockChange, type FolderClockView} from '../clock-control.js';
import {assertFolderOperator} from '../operator.js';
import {pkiFiles} from '../pki/files.js';
import type {Settings} from '../settings.js';
import {NO_HOLDER} from '../store/scope.js';
import type {PortalContext} from './context.js';

/** The data folder itself: its thresholds, its clock (`mysign clock`) and its CRL (`mysign crl`). */
export class FolderService {
	constructor(private readonly context: PortalContext) {}

	/** The room's thresholds (read by the login screen before anyone logs in). */
	async settings(): Promise<Settings> {
		return (await this.context.store.read(NO_HOLDER)).settings;
	}

	/** The data folder's time: real in a live folder, the trainer's in a training folder. */
	async clock(): Promise<FolderClockView> {
		return describeFolderTime((await this.context.store.read(NO_HOLDER)).clock);
	}

	/**
	 * Sets, advances or resets a training folder's clock (a live folder refuses), then ends the
	 * suspensions that are over at the new time and reissues the CRL, stamped with it.
	 */
	async changeClock(change: ClockChange): Promise<FolderClockView> {
		assertFolderOperator(this.context.store.directory);
		const view = await changeFolderTime(this.context.store, change);
		await this.refreshCertificates({always: true});
		return view;
	}

	/**
	 * Ends suspensions whose end date has passed and reissues pki/crl.pem. Runs at start and on
	 * `mysign crl`; returns the CRL's path.
	 */
	async refreshCertificates(options: {always?: boolean} = {}): Promise<string> {
		const {store, clock} = this.context;
		const now = clock.now();
		// From holders/index.json: no holder's document is read unless one of their suspensions is over.
		const over = new Set((await store.listedCertificates()).filter(entry => suspensionIsOver(entry, now)).map(entry => entry.userId));
		// Only write (and load the PKI code) when a suspension is over: starting the portal must stay light.
		if (over.size > 0) {
			const {endExpiredSuspensions} = await import('../certificate/suspension.js');
			await this.context.authority();
			let ended = false;
			for (const userId of over) if (await store.update(db => endExpiredSuspensions(db, clock.now()), userId)) ended = true;
			if (ended) await this.context.publishCrl();
		} else if (options.always) {
			await this.context.publishCrl();
		}
		return pkiFiles(store.directory).crl;
	}
}
