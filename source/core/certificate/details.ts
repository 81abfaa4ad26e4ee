import {createHash} from 'node:crypto';
import {x509} from '../pki/x509.js';
import {POLICIES, QC_STATEMENTS, readQcStatements} from '../pki/profile.js';

/** What the certificate itself says, read from its X.509 bytes (not from the record). */
export interface CertificateDetails {
	serialNumber: string;
	fingerprintSha256: string;
	policies: string[];
	qcStatements: string[];
	nonRepudiationCritical: boolean;
}

const POLICY_NAMES: Record<string, string> = {
	[POLICIES.agidQualified]: 'AgID – certificato qualificato (1.3.76.16.6)',
	[POLICIES.qcpNaturalQscd]: 'ETSI QCP-n-qscd (0.4.0.194112.1.2)',
};

const QC_NAMES: Record<string, string> = {
	[QC_STATEMENTS.compliance]: 'QcCompliance',
	[QC_STATEMENTS.sscd]: 'QcSSCD',
	[QC_STATEMENTS.type]: 'QcType',
	[QC_STATEMENTS.typeEsign]: 'esign',
	[QC_STATEMENTS.pds]: 'QcPDS',
};

export function certificateDetails(pem: string): CertificateDetails {
	const certificate = new x509.X509Certificate(pem);
	const fingerprint = createHash('sha256').update(Buffer.from(certificate.rawData)).digest('hex').toUpperCase();
	const policies = certificate.getExtension(x509.CertificatePolicyExtension)?.policies ?? [];
	const keyUsage = certificate.getExtension(x509.KeyUsagesExtension);
	const qc = readQcStatements(certificate);
	const qcNames: string[] = [];
	for (const id of qc) {
		const name = QC_NAMES[id] ?? id;
		// "QcType esign" reads as one statement.
		if (id === QC_STATEMENTS.typeEsign && qcNames.at(-1) === 'QcType') qcNames[qcNames.length - 1] = 'QcType esign';
		else qcNames.push(name);
	}
	return {
		serialNumber: certificate.serialNumber.toUpperCase(),
		fingerprintSha256: fingerprint.match(/.{2}/g)!.join(':'),
		policies: policies.map(policy => POLICY_NAMES[policy] ?? policy),
		qcStatements: qcNames,
		nonRepudiationCritical: Boolean(keyUsage && keyUsage.critical && keyUsage.usages & x509.KeyUsageFlags.nonRepudiation),
	};
}

/** The certificate in DER (binary) form, for "Scarica" as .cer/.der. */
export function certificateDer(pem: string): Buffer {
	return Buffer.from(new x509.X509Certificate(pem).rawData);
}
