import {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {useDisplay, useUi} from '../context.js';

/** The colours of every cell of the code: dark modules black, light modules and the quiet zone white. */
export const QR_DARK = '#000000';
export const QR_LIGHT = '#ffffff';

/** Columns of quiet zone left and right of the code (modules are one column wide). */
const SIDE_MARGIN = 2;

/**
 * A QR code drawn with half-block characters, two modules a cell: the upper half in the
 * foreground colour, the lower half in the background colour, so `▀` is dark over light, `▄`
 * light over dark, `█` dark over dark and a space light over light. Drawn with explicit colours
 * (black on white, like `qrencode -t ANSIUTF8`), every cell of the code and of its quiet zone
 * has both colours set and the code reads the same on a dark or a light terminal; a terminal's
 * default colours would invert it on a dark one. `verticalMargin` is the quiet zone above and
 * below in modules (half rows). The library is loaded on demand: the login screen must not pay
 * for it.
 */
export async function qrLines(text: string, verticalMargin = 2): Promise<string[]> {
	const {default: qrcode} = await import('qrcode');
	const {modules} = qrcode.create(text, {errorCorrectionLevel: 'L'});
	const size = modules.size;
	const width = size + 2 * SIDE_MARGIN;
	// The module rows with their quiet zone; an odd count gets one more light half row at the bottom.
	const dark = (row: number, column: number) => {
		const y = row - verticalMargin;
		const x = column - SIDE_MARGIN;
		return y >= 0 && y < size && x >= 0 && x < size && modules.get(y, x) !== 0;
	};
	const rows = size + 2 * verticalMargin;
	const lines: string[] = [];
	for (let row = 0; row < rows; row += 2) {
		let line = '';
		for (let column = 0; column < width; column++) {
			const top = dark(row, column);
			const bottom = dark(row + 1, column);
			line += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
		}
		lines.push(line);
	}
	return lines;
}

/**
 * The code, or where it cannot be seen or scanned (screen reader, a terminal without UTF-8 half
 * blocks) its label and a pointer to the text alternative shown beside it. `compact`: a quiet
 * zone of one module above and below instead of two (an 80×24 terminal has room for no more).
 * Without colours (NO_COLOR) the modules are drawn in the terminal's foreground colour, which
 * scans on a light background only.
 */
export function QrCode({text, label, compact = false}: {text: string; label: string; compact?: boolean}) {
	const {t} = useUi();
	const {screenReader, unicode, color} = useDisplay();
	const drawable = unicode && !screenReader;
	const [lines, setLines] = useState<string[] | undefined>();
	const margin = compact ? 1 : 2;
	useEffect(() => {
		if (!drawable) return;
		let current = true;
		void qrLines(text, margin).then(drawn => current && setLines(drawn));
		return () => {
			current = false;
		};
	}, [text, drawable, margin]);
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
				<Text key={index} color={color ? QR_DARK : undefined} backgroundColor={color ? QR_LIGHT : undefined}>
					{line}
				</Text>
			))}
		</Box>
	);
}
