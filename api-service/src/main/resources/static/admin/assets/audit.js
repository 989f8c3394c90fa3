// The audit log: who read or exported which session when, keyset-paged like every list.
import { addressFilters, count, el, getJson, prepareSignOut, showProblem, time } from './common.js';

const FILTERS = ['adminId', 'code'];

const filters = addressFilters(FILTERS, '/admin/audit');

const body = document.querySelector('#audit tbody');
const more = document.getElementById('more');
const state = document.getElementById('list-state');
let next = `/admin/api/audit?${filters}`;
let shown = 0;

async function page() {
	more.disabled = true;
	try {
		const { body: entries, next: following } = await getJson(next);
		for (const entry of entries) {
			const session = `/admin/sessions/${encodeURIComponent(entry.code)}/${entry.sessionId}`;
			body.append(el('tr', {}, el('td', {}, time(entry.at)), el('td', { class: 'code' }, entry.adminId ?? '(open mode)'),
				el('td', {}, entry.action), el('td', { class: 'code' }, el('a', { href: session }, entry.code))));
		}
		shown += entries.length;
		next = following;
		more.hidden = !next;
		state.textContent = next ? `${count(shown)} shown` : `${count(shown)} shown, the end of the log`;
	}
	catch (error) {
		showProblem(document.getElementById('list-problem'), error);
		more.hidden = true;
	}
	more.disabled = false;
}

more.addEventListener('click', page);
prepareSignOut();
page();
