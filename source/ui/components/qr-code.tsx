import {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {useDisplay, useUi} from '../context.js';

/**
 * A QR code drawn with half-block characters (two modules per row). The library is loaded on
 * demand: the login screen must not pay for it. Blank margin rows are dropped to fit 80×24;
 * the empty screen around the code is its quiet zone.
 */
export async function qrLines(text: string): Promise<string[]> {
	const {default: qrcode} = await import('qrcode');
	const drawn = await qrcode.toString(text, {type: 'utf8', errorCorrectionLevel: 'L', margin: 2});
	const lines = drawn.split('\n');
	while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
	while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
	return lines;
}

/**
 * The code, or where it cannot be seen or scanned (screen reader, a terminal without UTF-8 half
 * blocks) its label and a pointer to the text alternative shown beside it.
 */
export function QrCode({text, label}: {text: string; label: string}) {
	const {t} = useUi();
	const {screenReader, unicode} = useDisplay();
	const drawable = unicode && !screenReader;
	const [lines, setLines] = useState<string[] | undefined>();
	useEffect(() => {
		if (!drawable) return;
		let current = true;
		void qrLines(text).then(drawn => current && setLines(drawn));
		return () => {
			current = false;
		};
	}, [text, drawable]);
	if (!drawable) {
		return (
			<Box width={28} flexShrink={0}>
				<Text wrap="wrap">{t('a11y.noQr', {label})}</Text>
			</Box>
		);
	}
	if (!lines) return <Text> </Text>;
	return (
		<Box flexDirection="column" flexShrink={0}>
			{lines.map((line, index) => (
				<Text key={index}>{line}</Text>
			))}
		</Box>
	);
}
