/*
 * Real RFC 5322 messages (.eml) for the outbox, with attachments, built by nodemailer's
 * MailComposer (loaded on demand).
 */

export interface EmailInput {
	from: string;
	to: string;
	subject: string;
	text: string;
	date: Date;
	attachments?: {filename: string; content: Buffer; contentType: string}[];
}

export async function composeEmail(input: EmailInput): Promise<Buffer> {
	const {default: MailComposer} = await import('nodemailer/lib/mail-composer/index.js');
	const composer = new MailComposer({
		from: input.from,
		to: input.to,
		subject: input.subject,
		text: input.text,
		date: input.date,
		attachments: input.attachments?.map(attachment => ({filename: attachment.filename, content: attachment.content, contentType: attachment.contentType})),
	});
	return new Promise((resolve, reject) => composer.compile().build((error, message) => (error ? reject(error) : resolve(message))));
}
