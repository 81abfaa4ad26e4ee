import {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import type {PasswordContext, Session} from '../../core/portal.js';
import {PasswordForm} from '../components/password-form.js';
import {useUi} from '../context.js';
import {GuideNote} from '../components/guide-note.js';

/** First access with an initial password: the holder chooses their own before anything else. */
export function ForcedPasswordScreen({active, session, onDone, onHelp, onTypingChange}: {active: boolean; session: Session; onDone: () => void; onHelp: () => void; onTypingChange: (typing: boolean) => void}) {
	const {t, portal} = useUi();
	const [context, setContext] = useState<PasswordContext>({userId: session.userId});
	useEffect(() => {
		void portal.passwordContext(session).then(setContext);
	}, [portal, session]);
	return (
		<Box flexDirection="column">
			<GuideNote step="forcedPassword" />
			<Text bold>{t('forcedPassword.title')}</Text>
			<Text wrap="wrap">{t('forcedPassword.intro')}</Text>
			<PasswordForm
				active={active}
				withCurrent
				context={context}
				submitLabel={t('account.save')}
				onSubmit={async values => {
					await portal.changePassword(session, values);
					onDone();
				}}
				// There is nothing to go back to: the portal opens only with a password of one's own.
				onCancel={() => undefined}
				onHelp={onHelp}
				onTypingChange={onTypingChange}
			/>
		</Box>
	);
}
