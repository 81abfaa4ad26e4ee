// `npm test`'s static checks: the type check and the lint side by side (each uses one core;
// together ~35 s one after the other on a 2-core machine, about the longer one's time side by
// side). Each one's output is printed whole once it ends; the exit code is non-zero if either failed.
import {spawn} from 'node:child_process';

const checks = [
	['typecheck', ['run', 'typecheck', '--silent']],
	['lint', ['run', 'lint', '--silent']],
];

const npm = process.env['npm_execpath'];
const results = await Promise.all(
	checks.map(
		([name, args]) =>
			new Promise(resolve => {
				const child = npm ? spawn(process.execPath, [npm, ...args]) : spawn('npm', args);
				let output = '';
				child.stdout.on('data', chunk => (output += chunk));
				child.stderr.on('data', chunk => (output += chunk));
				child.on('error', error => (output += `${String(error)}\n`));
				child.on('close', code => {
					process.stdout.write(output);
					console.log(`${name}: ${code === 0 ? 'ok' : `failed (exit ${code})`}`);
					resolve(code);
				});
			}),
	),
);
process.exitCode = results.every(code => code === 0) ? 0 : 1;
