import stringWidth from 'string-width';
import {taggedPdf} from '../pdf/document.js';

/*
 * The enrolment handout ("Scheda per il primo accesso"), one per new holder, for a trainer to
 * print and hand out: the userID, how to get and open the registration envelope (its password
 * is the holder's codice fiscale in capitals: the rule only, never the code itself, since the
 * handout is not encrypted), the first-login steps and the phone command. It travels as an
 * e-mail in the outbox whose text is the handout itself (≤ 80 columns: `mysign outbox show N`
 * prints it as it goes on paper) with the same content as a one-page A4 PDF attached
 * (`mysign outbox save N DIR`, tagged like the envelopes). No secret is in either.
 *
 * Italian always, unlike the holders' messages in notify/messages/: it is the course's printed
 * page for the trainer (text and PDF from the same sections), sent at enrolment, before the
 * holder can have chosen a language.
 */

export const HANDOUT_SUBJECT = 'MySign: scheda per il primo accesso';

export interface HandoutHolder {
	userId: string;
	name: string;
	surname: string;
}

interface Section {
	title: string;
	lines: string[];
}

function sections(holder: HandoutHolder): Section[] {
	const id = holder.userId;
	return [
		{
			title: '1. La Busta Cifrata',
			lines: [
				'Ti è arrivata l’e-mail «InfoCert LegalCert: registrazione» con la Busta',
				`Cifrata (BustaCifrata-${id}.pdf): password iniziale, PIN, Codice di`,
				'Emergenza (ERC) e IUT. Trova il numero N dell’e-mail e salva la busta:',
				`    mysign outbox --user ${id}`,
				'    mysign outbox save N ~/',
			],
		},
		{
			title: '2. Aprire la busta',
			lines: [
				'La password della busta è il tuo codice fiscale, in MAIUSCOLO',
				'(16 caratteri, senza spazi). Con un lettore PDF, oppure:',
				`    qpdf --password=CODICEFISCALE --decrypt BustaCifrata-${id}.pdf busta.pdf`,
				'Conserva PIN ed ERC separati dalla password: il PIN firma, non si',
				'recupera e 3 PIN errati bloccano il certificato per sempre (non esiste',
				'PUK); l’ERC con lo IUT sospende il certificato.',
			],
		},
		{
			title: '3. Primo accesso al portale',
			lines: [
				'    mysign',
				`a. User ID ${id} e la password iniziale della busta.`,
				'b. «Scegli la tua password»: sostituisci quella iniziale con una tua.',
				'c. «Imposta la domanda segreta»: serve a recuperare la password.',
				'd. Si apre la pagina del certificato: da lì firmi, rinnovi, sospendi.',
			],
		},
		{
			title: '4. Il telefono (codici OTP via SMS, app, approvazioni)',
			lines: ['In un secondo terminale, lasciato aperto durante gli esercizi:', `    mysign phone --user ${id}`],
		},
	];
}

/** The printed page's width in terminal columns (a wide character takes two). */
const WIDTH = 80;

/** `label` then `value`, wrapped at word breaks (within a word if it must) to lines of at most WIDTH columns, continued under the value. */
function labelled(label: string, value: string): string[] {
	const indent = ' '.repeat(stringWidth(label));
	const lines: string[] = [];
	let line = label;
	for (const word of value.split(/\s+/).filter(Boolean)) {
		const start = line === label || line === indent ? line : `${line} `;
		if (stringWidth(start + word) <= WIDTH) {
			line = start + word;
			continue;
		}
		// A word too long for a line of its own: cut where the line ends.
		if (line !== label && line !== indent) {
			lines.push(line);
			line = indent;
		}
		for (const character of word) {
			if (stringWidth(line + character) > WIDTH) {
				lines.push(line);
				line = indent;
			}
			line += character;
		}
	}
	return [...lines, line];
}

/** The handout as plain text: the e-mail's body, printable as it is (no line over 80 columns). */
export function handoutText(holder: HandoutHolder): string {
	const lines = ['SCHEDA PER IL PRIMO ACCESSO A MYSIGN', '', ...labelled('Titolare: ', `${holder.name} ${holder.surname}`), `User ID:  ${holder.userId}`];
	for (const section of sections(holder)) lines.push('', section.title, ...section.lines);
	lines.push('', 'Nessun codice segreto è in questa scheda.');
	return lines.join('\n');
}

/** The same handout on one A4 page (tagged, not encrypted: it holds no secret). */
export async function buildHandoutPdf(holder: HandoutHolder): Promise<Buffer> {
	return taggedPdf(`Scheda per il primo accesso - ${holder.userId}`, pdf => {
		pdf.heading('Scheda per il primo accesso a MySign', {underline: true}).space();
		pdf.field('Titolare', `${holder.name} ${holder.surname}`);
		pdf.field('User ID', holder.userId, {size: 16, code: true});
		for (const section of sections(holder)) {
			pdf.space(0.6).subheading(section.title);
			pdf.paragraph(section.lines.map(line => line.trim()).join('\n'), {size: 10.5});
		}
		pdf.space().paragraph('Nessun codice segreto è in questa scheda.', {size: 9});
	});
}
