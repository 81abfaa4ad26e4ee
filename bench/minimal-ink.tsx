/*
 * The reference for the start figure: the least an interactive Ink app does. One Text (the
 * word the bench waits for, as in mysign's login heading) and an input hook, which every
 * interactive app has and which keeps the process alive so its memory can be read.
 * scripts/bench.mjs bundles it with scripts/build.mjs itself, so it is built exactly like the CLI.
 */
import {render, Text, useApp, useInput} from 'ink';

function Minimal() {
	const {exit} = useApp();
	useInput((input, key) => {
		if (input === 'q' || (key.ctrl && input === 'c')) exit();
	});
	return <Text bold>Accedi</Text>;
}

render(<Minimal />, {exitOnCtrlC: false, patchConsole: false});
