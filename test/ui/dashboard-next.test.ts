import {describe, expect, it} from 'vitest';
import type {DashboardView} from '../../source/core/portal.js';
import {translator} from '../../source/ui/i18n/index.js';
import {nextStepText} from '../../source/ui/screens/dashboard.js';

/*
 * The dashboard's next step for a suspended certificate: a suspension to the expiry date
 * (acknowledged as a revocation, seed 003 §8) never comes back active, so the dashboard must
 * not say it will; a shorter one does.
 */

const expiresAt = new Date('2028-01-27T13:59:00Z');

function suspendedView(suspendedUntil: Date): DashboardView {
	return {
		userId: 'JCPD2841',
		name: 'GIULIA',
		surname: 'BIANCHI',
		certificate: {state: 'suspended', expiresAt, suspendedUntil} as unknown as DashboardView['certificate'],
		replacement: {allowed: false, deadline: null},
		lifecycle: {phase: 'suspended', daysLeft: 400, next: 'waitSuspension', replacementAllowed: false, flagged: false},
		mustChangePassword: false,
		needsSecretQuestion: false,
		language: null,
	};
}

describe('the dashboard next step of a suspended certificate', () => {
	for (const language of ['it', 'en'] as const) {
		it(`${language}: a suspension to the expiry never promises to come back active; a shorter one does`, () => {
			const t = translator(language);
			const toExpiry = nextStepText(t, language, suspendedView(new Date(expiresAt)))!;
			expect(toExpiry).toContain('27/01/2028');
			expect(toExpiry).not.toMatch(/torna attivo da solo|becomes active again by itself/);
			expect(toExpiry).toMatch(/equivale alla revoca|amounts to a revocation/);
			const short = nextStepText(t, language, suspendedView(new Date('2027-01-10T22:59:59Z')))!;
			expect(short).toMatch(/torna attivo da solo|becomes active again by itself/);
		});
	}
});
