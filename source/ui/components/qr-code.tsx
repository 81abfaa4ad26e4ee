import {useEffect, useState} from 'react';
import {Box, Text} from 'ink';

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

export function QrCode({text, label}: {text: string; label: string}) {
	const [lines, setLines] = useState<string[] | undefined>();
	useEffect(() => {
		let current = true;
		void qrLines(text).then(drawn => current && setLines(drawn));
		return () => {
			current = false;
		};
	}, [text]);
	if (!lines) return <Text> </Text>;
	return (
		<Box flexDirection="column" aria-label={label} flexShrink={0}>
			{lines.map((line, index) => (
				<Text key={index}>{line}</Text>
			))}
		</Box>
	);
}
