// The sign-in page: identity providers to sign in with, and the token form. A link of the
// form /admin/sign-in#token=… (./run.sh prints one) signs in with that token at once; the
// token is in the fragment, which browsers never send, and is taken off the address.
import { el } from './common.js';

const messages = {
	'not-admin': 'That account is not an admin of Session History: sign in as an admin.',
	'token-refused': 'The token was refused: it is invalid or expired.',
	'sign-in-failed': 'Signing in with the identity provider failed.',
	'expired': 'Your sign-in has ended: sign in again.',
	'expired-form': 'The form had expired: sign in again.',
};

async function start() {
	const parameters = new URLSearchParams(window.location.search);
	const message = document.getElementById('message');
	if (parameters.has('error')) {
		message.textContent = messages[parameters.get('error')] || 'Signing in failed.';
	}
	else if (parameters.has('signed-out')) {
		message.textContent = 'You are signed out.';
	}
	const response = await fetch('/admin/sign-in/options', { credentials: 'same-origin' });
	const options = await response.json();
	const form = document.getElementById('token-form');
	form.append(el('input', { type: 'hidden', name: options.csrf.parameter, value: options.csrf.token }));
	const providers = document.getElementById('providers');
	for (const provider of options.providers) {
		providers.append(el('a', { class: 'button', href: provider.uri }, `Sign in with ${provider.name}`));
	}
	const fragment = new URLSearchParams(window.location.hash.substring(1));
	if (fragment.has('token')) {
		document.getElementById('token').value = fragment.get('token');
		history.replaceState(null, '', window.location.pathname + window.location.search);
		form.submit();
	}
}

start();
