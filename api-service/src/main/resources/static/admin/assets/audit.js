// The audit log: who read or exported which session when, keyset-paged like every list.
import { addressFilters, el, logPages, prepareSignOut, time } from './common.js';

const FILTERS = ['adminId', 'code'];

const filters = addressFilters(FILTERS, '/admin/audit');

/** One entry: when, who, what, and a link to the session. */
function row(entry) {
	const session = `/admin/sessions/${encodeURIComponent(entry.code)}/${entry.sessionId}`;
	return el('tr', {}, el('td', {}, time(entry.at)), el('td', { class: 'code' }, entry.adminId ?? '(open mode)'),
		el('td', {}, entry.action), el('td', { class: 'code' }, el('a', { href: session }, entry.code)));
}

logPages(`/admin/api/audit?${filters}`, document.querySelector('#audit tbody'), row);
prepareSignOut();
