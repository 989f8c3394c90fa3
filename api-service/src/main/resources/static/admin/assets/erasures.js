// The erasure log: who erased which session (or which user's data) when, where it was and
// why, keyset-paged like every list. Nothing of what was erased is in it.
import { addressFilters, el, logPages, prepareSignOut, time } from './common.js';

const FILTERS = ['erasedBy', 'userId', 'code'];

const filters = addressFilters(FILTERS, '/admin/erasures');

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

logPages(`/admin/api/erasures?${filters}`, document.querySelector('#erasures tbody'), row);
prepareSignOut();
