import {cell} from './admin-lists.js';
import type {Translate} from '../ui/i18n/index.js';

/*
 * The progress of a long enrolment on stderr ("Riga 12/30 … ROSSI MARIO" while holders are
 * prepared, then "E-mail 12/30 … ROSSI MARIO" while their envelopes go out), one line rewritten
 * in place, only when stderr is a terminal: a script or a redirected stderr gets nothing. The
 * line never reaches the terminal's last column (a wrapped line could not be rewritten) and is
 * cleared at the end, so the result printed on stdout stands alone.
 */

export interface Progress {
	update: (done: number, total: number, holder: {name: string; surname: string}, phase: 'prepare' | 'deliver') => void;
	end: () => void;
}

export function enrollmentProgress(t: Translate, stream: NodeJS.WriteStream = process.stderr): Progress | undefined {
	if (!stream.isTTY) return undefined;
	const width = Math.max(20, Math.min(stream.columns || 80, 200) - 1);
	let shown = false;
	return {
		update(done, total, holder, phase) {
			const line = t(phase === 'prepare' ? 'admin.progress' : 'admin.progressMail', {done, total, name: `${holder.surname} ${holder.name}`});
			// Cut in terminal columns: a wide character (漢) takes two, and a wrapped line stays behind.
			stream.write(`\r\u001B[2K${cell(line, width).trimEnd()}`);
			shown = true;
		},
		end() {
			if (shown) stream.write('\r\u001B[2K');
		},
	};
}
