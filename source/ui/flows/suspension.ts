import type {SuspensionRequest} from '../../core/index.js';
import {stay, type Transition} from './flow.js';

/*
 * "Sospensione e revoca firma" (seed 003 §8): the page with its two buttons, the suspension
 * form (IUT, ERC twice, end date, the revocation effect acknowledged) and the revocation form's
 * save dialog. What the page says after each is kept as data; the screen words it.
 */

export type SuspensionView = 'page' | 'suspend' | 'revocationForm';

/** What the page says on return: the suspension done (until when), or the revocation form saved (the dialog's own text). */
export type SuspensionOutcome = {kind: 'suspended'; until: Date} | {kind: 'saved'; text: string};

export interface SuspensionFlow {
	readonly view: SuspensionView;
	readonly outcome?: SuspensionOutcome;
	/** The core's refusal of the suspension form's last submit: the form stays with it. */
	readonly error?: unknown;
}

export interface SuspensionValues {
	iut: string;
	erc: string;
	ercAgain: string;
	endDate: string;
	accept: boolean;
}

export type SuspensionEvent =
	/** Enter on a button of the page; "Sospendi" exists only while the certificate is active. */
	| {type: 'open'; button: 'suspend' | 'revocationForm'; canSuspend: boolean}
	| {type: 'submit'; values: SuspensionValues}
	| {type: 'suspended'; until: Date}
	| {type: 'failed'; error: unknown}
	/** Esc on the form, or the save dialog closed (with its text when saved). */
	| {type: 'close'; saved?: string};

export type SuspensionCommand = {kind: 'suspend'; request: SuspensionRequest} | {kind: 'reload'};

export const startSuspension: SuspensionFlow = {view: 'page'};

export function suspensionReducer(flow: SuspensionFlow, event: SuspensionEvent): Transition<SuspensionFlow, SuspensionCommand> {
	switch (event.type) {
		case 'open':
			if (flow.view !== 'page') return stay(flow);
			return {state: {view: event.button === 'suspend' && event.canSuspend ? 'suspend' : 'revocationForm'}};
		case 'submit': {
			if (flow.view !== 'suspend') return stay(flow);
			const {iut, erc, ercAgain, endDate, accept} = event.values;
			return {state: {...flow, error: undefined}, command: {kind: 'suspend', request: {iut, erc, ercAgain, endDate, acceptRevocationEffect: accept}}};
		}
		case 'suspended':
			// Back on the page, which reads the certificate's new state.
			return flow.view === 'suspend' ? {state: {view: 'page', outcome: {kind: 'suspended', until: event.until}}, command: {kind: 'reload'}} : stay(flow);
		case 'failed':
			return {state: {...flow, error: event.error}};
		case 'close':
			if (flow.view === 'revocationForm') return {state: event.saved === undefined ? {view: 'page'} : {view: 'page', outcome: {kind: 'saved', text: event.saved}}};
			return flow.view === 'suspend' ? {state: {view: 'page'}, command: {kind: 'reload'}} : stay(flow);
	}
}
