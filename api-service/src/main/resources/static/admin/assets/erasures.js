// The erasure log: who erased which session (or which user's data) when, where it was and
// why, keyset-paged like every list. Nothing of what was erased is in it.
import { addressFilters, count, el, getJson, prepareSignOut, showProblem, time } from './common.js';

const FILTERS = ['erasedBy', 'userId', 'code'];

const filters = addressFilters(FILTERS, '/admin/erasures');

const body = document.querySelector('#erasures tbody');
const more = document.getElementById('more');
const state = document.getElementById('list-state');
let next = `/admin/api/erasures?${filters}`;
let shown = 0;

/** The session it names: its code and instance (nothing to link to: it is gone), or none. */
function session(entry) {
	if (!entry.code) {
		return '–';
	}
	return el('span', {}, entry.code, el('br'), el('span', { class: 'note' }, entry.sessionId));
}

function row(entry) {
	return el('tr', {},
		el('td', {}, time(entry.at)),
		el('td', { class: 'code' }, entry.erasedBy ?? '(open mode)'),
		el('td', {}, entry.scope),
		el('td', { class: 'code' }, session(entry)),
		el('td', { class: 'code wide' }, entry.ownerId ?? '–'),
		el('td', { class: 'code' }, entry.userId ?? '–'),
		el('td', {}, entry.found ?? '–'),
		el('td', { class: 'reason' }, entry.reason ?? '–'));
}

async function page() {
	more.disabled = true;
	try {
		const { body: entries, next: following } = await getJson(next);
		entries.forEach((entry) => body.append(row(entry)));
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
