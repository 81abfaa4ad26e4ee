import {join} from 'node:path';

/** Where the local CA keeps its files in the data folder (no PKI code needed to know). */
export function pkiFiles(dataDirectory: string) {
	const directory = join(dataDirectory, 'pki');
	return {directory, certificate: join(directory, 'ca.pem'), key: join(directory, 'ca.key'), crl: join(directory, 'crl.pem'), lock: join(directory, 'ca.lock')};
}
