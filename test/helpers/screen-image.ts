// jsqr is CommonJS: its module object is the function, which also carries itself as `default`.
import jsqr from 'jsqr';
// A webpack-bundled CommonJS module: the default export (see terminal.ts).
import xtermHeadless from '@xterm/headless';

/*
 * What a phone camera sees of a terminal: the screen a program drew, as pixels. The program's
 * output is replayed into a headless xterm and every cell is painted with its colours as a
 * terminal with a given theme would: the default foreground and background come from the
 * theme (light text on black for a dark terminal, black on white for a light one), palette and
 * RGB colours from the cell, reverse video honoured. Half blocks paint half a cell: `▀` the
 * upper half in the foreground colour and the lower in the background colour, `▄` the
 * opposite, `█` all foreground; any other character (a letter) is painted as its background.
 */

export interface Theme {
	foreground: number;
	background: number;
}

/** A dark terminal: light grey text on black. */
export const DARK_THEME: Theme = {foreground: 0xd0d0d0, background: 0x000000};
/** A light terminal: black text on white. */
export const LIGHT_THEME: Theme = {foreground: 0x000000, background: 0xffffff};

/** The 16 basic colours (xterm's), then the 6×6×6 cube and the grey ramp of the 256-colour palette. */
const BASIC = [0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff];
function paletteColour(index: number): number {
	if (index < 16) return BASIC[index]!;
	if (index < 232) {
		const cube = index - 16;
		const level = (value: number) => (value === 0 ? 0 : 55 + value * 40);
		return (level(Math.floor(cube / 36)) << 16) | (level(Math.floor(cube / 6) % 6) << 8) | level(cube % 6);
	}
	const grey = 8 + (index - 232) * 10;
	return (grey << 16) | (grey << 8) | grey;
}

/** Pixels of one cell: 4 wide, 8 high (two square halves of 4×4, one per QR module). */
const CELL_WIDTH = 4;
const HALF_HEIGHT = 4;

export interface ScreenImage {
	data: Uint8ClampedArray;
	width: number;
	height: number;
}

/** The screen left by `output` (everything a program wrote) in a `cols`×`rows` terminal with `theme`, as RGBA pixels. */
export async function screenImage(output: string, cols: number, rows: number, theme: Theme): Promise<ScreenImage> {
	const terminal = new xtermHeadless.Terminal({cols, rows, scrollback: 0, allowProposedApi: true});
	await new Promise<void>(resolve => terminal.write(output, resolve));
	const width = cols * CELL_WIDTH;
	const height = rows * 2 * HALF_HEIGHT;
	const data = new Uint8ClampedArray(width * height * 4);
	const paint = (x0: number, y0: number, colour: number) => {
		for (let y = y0; y < y0 + HALF_HEIGHT; y++) {
			for (let x = x0; x < x0 + CELL_WIDTH; x++) {
				const at = (y * width + x) * 4;
				data[at] = (colour >> 16) & 0xff;
				data[at + 1] = (colour >> 8) & 0xff;
				data[at + 2] = colour & 0xff;
				data[at + 3] = 0xff;
			}
		}
	};
	const buffer = terminal.buffer.active;
	const cell = buffer.getNullCell();
	for (let row = 0; row < rows; row++) {
		const line = buffer.getLine(buffer.baseY + row);
		for (let column = 0; column < cols; column++) {
			line?.getCell(column, cell);
			let foreground = cell.isFgDefault() ? theme.foreground : cell.isFgRGB() ? cell.getFgColor() : paletteColour(cell.getFgColor());
			let background = cell.isBgDefault() ? theme.background : cell.isBgRGB() ? cell.getBgColor() : paletteColour(cell.getBgColor());
			if (cell.isInverse()) [foreground, background] = [background, foreground];
			const character = line ? cell.getChars() : '';
			const top = character === '▀' || character === '█' ? foreground : background;
			const bottom = character === '▄' || character === '█' ? foreground : background;
			paint(column * CELL_WIDTH, row * 2 * HALF_HEIGHT, top);
			paint(column * CELL_WIDTH, (row * 2 + 1) * HALF_HEIGHT, bottom);
		}
	}
	terminal.dispose();
	return {data, width, height};
}

/**
 * The text of the QR code on the screen `output` leaves in a terminal with `theme`, or undefined
 * when none can be read. Dark modules must be darker than light ones, as printed on paper: the
 * decoder is not allowed to try the inverted image (a code drawn in the terminal's foreground
 * colour is inverted on a dark terminal, and many phone scanners do not read it).
 */
export async function decodeScreenQr(output: string, cols: number, rows: number, theme: Theme): Promise<string | undefined> {
	const image = await screenImage(output, cols, rows, theme);
	return jsqr.default(image.data, image.width, image.height, {inversionAttempts: 'dontInvert'})?.data;
}
