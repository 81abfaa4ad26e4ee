import * as asn1js from 'asn1js';
import {x509} from './x509.js';

/*
 * The Italian qualified-signature certificate profile (seed 003 §3, ETSI EN 319 412): the
 * names, key usage, policies and QC statements a holder certificate carries.
 */

export const OID = {
	country: '2.5.4.6',
	organization: '2.5.4.10',
	organizationalUnit: '2.5.4.11',
	commonName: '2.5.4.3',
	surname: '2.5.4.4',
	givenName: '2.5.4.42',
	serialNumber: '2.5.4.5',
	dnQualifier: '2.5.4.46',
	qcStatements: '1.3.6.1.5.5.7.1.3',
} as const;

/** AgID's policy for qualified certificates, and ETSI's QCP-n-qscd (qualified, on a QSCD). */
export const POLICIES = {agidQualified: '1.3.76.16.6', qcpNaturalQscd: '0.4.0.194112.1.2'} as const;

export const QC_STATEMENTS = {
	compliance: '0.4.0.1862.1.1',
	sscd: '0.4.0.1862.1.4',
	pds: '0.4.0.1862.1.5',
	type: '0.4.0.1862.1.6',
	typeEsign: '0.4.0.1862.1.6.1',
} as const;

/** Where relying parties would fetch the CRL, the CA certificate and the PKI disclosure statement. */
export const URLS = {
	crl: 'http://crl.mysign.local/InfoCertQESCA3/crl.pem',
	caIssuers: 'http://cert.mysign.local/InfoCertQESCA3.pem',
	pds: 'https://www.firma.infocert.it/pdf/PKI-DS.pdf',
} as const;

export interface HolderName {
	givenName: string;
	surname: string;
	codiceFiscale: string;
	iut: string;
}

export function holderSubject(holder: HolderName): x509.JsonName {
	return [
		{[OID.country]: ['IT']},
		{[OID.givenName]: [holder.givenName]},
		{[OID.surname]: [holder.surname]},
		{[OID.commonName]: [`${holder.givenName} ${holder.surname}`]},
		{[OID.serialNumber]: [`TINIT-${holder.codiceFiscale}`]},
		{[OID.dnQualifier]: [holder.iut]},
	];
}

export function caSubject(names: {commonName: string; organization: string; organizationalUnit: string; country: string}): x509.JsonName {
	return [
		{[OID.country]: [names.country]},
		{[OID.organization]: [names.organization]},
		{[OID.organizationalUnit]: [names.organizationalUnit]},
		{[OID.commonName]: [names.commonName]},
	];
}

function statement(id: string, info?: asn1js.AsnType): asn1js.Sequence {
	return new asn1js.Sequence({value: [new asn1js.ObjectIdentifier({value: id}), ...(info ? [info] : [])]});
}

/** qcStatements: QcCompliance, QcSSCD, QcType esign, QcPDS. */
export function qcStatementsExtension(): x509.Extension {
	const value = new asn1js.Sequence({
		value: [
			statement(QC_STATEMENTS.compliance),
			statement(QC_STATEMENTS.sscd),
			statement(QC_STATEMENTS.type, new asn1js.Sequence({value: [new asn1js.ObjectIdentifier({value: QC_STATEMENTS.typeEsign})]})),
			statement(
				QC_STATEMENTS.pds,
				new asn1js.Sequence({value: [new asn1js.Sequence({value: [new asn1js.IA5String({value: URLS.pds}), new asn1js.PrintableString({value: 'en'})]})]}),
			),
		],
	});
	return new x509.Extension(OID.qcStatements, false, value.toBER());
}

/** The QC statements a certificate declares, by OID (for the certificate card). */
export function readQcStatements(certificate: x509.X509Certificate): string[] {
	const extension = certificate.getExtension(OID.qcStatements);
	if (!extension) return [];
	const parsed = asn1js.fromBER(extension.value);
	if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return [];
	const ids: string[] = [];
	for (const item of parsed.result.valueBlock.value) {
		if (!(item instanceof asn1js.Sequence)) continue;
		const [id, info] = item.valueBlock.value;
		if (!(id instanceof asn1js.ObjectIdentifier)) continue;
		ids.push(id.valueBlock.toString());
		if (id.valueBlock.toString() === QC_STATEMENTS.type && info instanceof asn1js.Sequence) {
			for (const type of info.valueBlock.value) if (type instanceof asn1js.ObjectIdentifier) ids.push(type.valueBlock.toString());
		}
	}
	return ids;
}
