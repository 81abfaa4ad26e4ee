import {useEffect, useRef, useState} from 'react';
import {Box, Text} from 'ink';
import type {PasswordContext, Session} from '../../core/index.js';
import {PasswordForm} from '../components/password-form.js';
import {useUi} from '../context.js';
import {GuideNote} from '../components/guide-note.js';
import {SecretQuestionEditor} from './account-editors.js';

/**
 * First access: an enrolled holder replaces the initial password (step 1), and a holder without
 * a secret question sets one (step 2; password recovery needs it). The core refuses every other
 * operation until both are done; there is nothing to go back to.
 */
export function ForcedPasswordScreen({active, session, onDone}: {active: boolean; session: Session; onDone: () => void}) {
	const {t, portal} = useUi();
	const [context, setContext] = useState<PasswordContext>({userId: session.userId});
	const [pending, setPending] = useState<{password: boolean; question: boolean} | undefined>();
	// Both steps due at first: "Passo 1 di 2", "Passo 2 di 2".
	const [both, setBoth] = useState(false);
	const done = useRef(onDone);
	done.current = onDone;
	useEffect(() => {
		// Refused (the session ended meanwhile): the session watch takes the holder to the login screen.
		portal.account.passwordContext(session).then(setContext, () => undefined);
		portal.account.view(session).then(view => {
			const next = {password: view.mustChangePassword, question: view.secretQuestion === null};
			if (!next.password && !next.question) done.current();
			else {
				setPending(next);
				setBoth(next.password && next.question);
			}
		}, () => undefined);
	}, [portal, session]);
	if (!pending) return null;
	const stepLabel = (index: number) => (both ? t('forcedPassword.step', {index, count: 2}) + ' ' : '');
	if (pending.password) {
		return (
			<Box flexDirection="column">
				<GuideNote step="forcedPassword" />
				<Text bold>{stepLabel(1) + t('forcedPassword.title')}</Text>
				<Text wrap="wrap">{t('forcedPassword.intro')}</Text>
				<PasswordForm
					active={active}
					withCurrent
					context={context}
					submitLabel={t('account.save')}
					onSubmit={async values => {
						await portal.account.changePassword(session, values);
						if (pending.question) setPending({password: false, question: true});
						else onDone();
					}}
					onCancel={() => undefined}
				/>
			</Box>
		);
	}
	return (
		<Box flexDirection="column">
			<Text bold>{stepLabel(2) + t('forcedPassword.questionTitle')}</Text>
			<Text wrap="wrap">{t('forcedPassword.questionIntro')}</Text>
			<SecretQuestionEditor active={active} session={session} onDone={() => onDone()} onCancel={() => undefined} />
		</Box>
	);
}
