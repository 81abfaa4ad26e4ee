/*
 * `mysign admin list | head`: the reader closes the pipe, the next write to stdout fails with
 * EPIPE, and Node would throw it as an unhandled 'error' event (a stack trace, exit 1). Like any
 * Unix filter, mysign then stops printing: later output is dropped, the command itself goes on
 * to its end (nothing it writes to the data folder is cut short) and exits with its own code.
 */
export function ignoreClosedStdout(): void {
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE') throw error;
		process.stdout.write = (() => true) as typeof process.stdout.write;
	});
}
