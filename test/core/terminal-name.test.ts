import {describe, expect, it} from 'vitest';
import {describeTerminal, sshClientAddress} from '../../source/cli/terminal-name.js';

/*
 * "Dispositivi e sessioni" and "Visualizza accessi" name a portal's terminal by its device and
 * its SSH client, not by a process number; what the environment says is kept only if it has the
 * exact shape of an address or a device (it reaches other holders' screens).
 */
describe('the terminal a session is shown with', () => {
	it('names the tty, and the SSH client address when there is one', () => {
		expect(describeTerminal({env: {}, tty: '/dev/pts/3', pid: 9705})).toBe('/dev/pts/3');
		expect(describeTerminal({env: {SSH_CONNECTION: '10.0.0.5 52144 10.0.0.1 22', SSH_TTY: '/dev/pts/7'}, tty: '/dev/pts/7', pid: 9705})).toBe('/dev/pts/7, SSH 10.0.0.5');
		expect(describeTerminal({env: {SSH_CLIENT: '2001:db8::7 52144 22'}, tty: '/dev/pts/1', pid: 1})).toBe('/dev/pts/1, SSH 2001:db8::7');
		// The tty from the system wins; SSH_TTY stands in when the system gave none.
		expect(describeTerminal({env: {SSH_TTY: '/dev/pts/9', SSH_CONNECTION: '192.168.1.20 4000 192.168.1.1 22'}, tty: undefined, pid: 42})).toBe('/dev/pts/9, SSH 192.168.1.20');
	});

	it('falls back to the process number without a terminal device', () => {
		expect(describeTerminal({env: {}, tty: undefined, pid: 9705})).toBe('pid 9705');
		expect(describeTerminal({env: {SSH_CONNECTION: '10.0.0.5 52144 10.0.0.1 22'}, tty: undefined, pid: 9705})).toBe('SSH 10.0.0.5, pid 9705');
	});

	it('keeps nothing from a forged environment but what has the shape of an address or a device', () => {
		const hostile = '\u001b]0;pwned\u0007\u001b[2J';
		expect(describeTerminal({env: {SSH_CONNECTION: `${hostile} 1 2 3`, SSH_TTY: `/dev/pts/3${hostile}`}, tty: 'not a tty', pid: 7})).toBe('pid 7');
		expect(sshClientAddress({SSH_CONNECTION: 'evil.example.com 22 1.2.3.4 22'})).toBeUndefined();
		expect(sshClientAddress({SSH_CONNECTION: '999.1.1.1 22 1.2.3.4 22', SSH_CLIENT: '10.1.2.3 5 22'})).toBe('10.1.2.3');
		expect(sshClientAddress({SSH_CLIENT: 'fe80::1%eth0 5 22'})).toBe('fe80::1');
		expect(describeTerminal({env: {}, tty: '/dev/pts/' + 'x'.repeat(50), pid: 8})).toBe('pid 8');
		expect(describeTerminal({env: {}, tty: '/dev/pts/../../etc/passwd', pid: 8})).toBe('pid 8');
	});
});
