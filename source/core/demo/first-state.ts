import type {CertificateRecord, FirstState, Holder} from '../store/schema.js';

/*
 * A holder's first state: kept when the holder is enrolled (or made by `mysign demo`), restored
 * by `mysign demo --reset --keep-enrolled`. Only what the holder record itself keeps (hashes,
 * sealed secrets), copied: restoring it needs no new hash, key or certificate, so a room of 30
 * resets in well under the time 150 argon2 hashes take (about 4.4 s on two cores).
 */

export function firstStateOf(holder: Holder, certificate: CertificateRecord): FirstState {
	return structuredClone({
		phone: holder.phone,
		email: holder.email,
		passwordHash: holder.passwordHash,
		pinHash: holder.pinHash,
		pukHash: holder.pukHash,
		ercHash: holder.ercHash,
		replacementDeadline: holder.replacementDeadline,
		otp: holder.otp,
		report: holder.report,
		recoveryPhone: holder.recoveryPhone,
		secretQuestion: holder.secretQuestion,
		mustChangePassword: holder.mustChangePassword,
		language: holder.language,
		certificateId: certificate.id,
		privateKey: certificate.privateKey,
	});
}

/** The holder record as it was first: identity kept, everything else from `first`. */
export function restoredHolder(holder: Holder, first: FirstState): Holder {
	const {certificateId: _certificateId, privateKey: _privateKey, ...fields} = structuredClone(first);
	// The authenticators start unused: no step was consumed yet.
	if (fields.otp.app) fields.otp.app.lastStep = null;
	if (fields.otp.token) fields.otp.token.lastStep = null;
	return {...holder, ...fields, pinFailures: 0};
}
