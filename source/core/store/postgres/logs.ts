import {AccessLog, type AccessLogStore} from '../../history/access-log.js';
import {SignatureLog, type SignatureLogStore} from '../../history/signature-log.js';
import {Outbox, type OutboxStore} from '../../notify/outbox.js';
import {PostgresAccessLog} from './access-log.js';
import {PostgresOutbox} from './outbox.js';
import {PostgresSignatureLog} from './signature-log.js';

/*
 * The three logs a data folder keeps beside its documents, where its store is: the folder's own
 * files (`url` undefined), or the PostgreSQL database of `url` (see location.ts's storeUrlOf), so
 * that servers sharing one database need no shared file system.
 */

export function outboxOf(directory: string, url: string | undefined): OutboxStore {
	return url === undefined ? new Outbox(directory) : new PostgresOutbox(directory, url);
}

export function accessLogOf(directory: string, url: string | undefined): AccessLogStore {
	return url === undefined ? new AccessLog(directory) : new PostgresAccessLog(url);
}

export function signatureLogOf(directory: string, url: string | undefined): SignatureLogStore {
	return url === undefined ? new SignatureLog(directory) : new PostgresSignatureLog(url);
}
