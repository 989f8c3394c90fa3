// The gallery's first page: the overview, the filters (kept in the address, so a view can
// be bookmarked and shared) and the keyset-paged list of sessions; filtered by a user, that
// user's panel (export their data, erase them).
import { API, bytes, count, duration, el, getJson, prepareSignOut, sendDelete, showProblem, statusBadge, time }
	from './common.js';

const USER_DATA = '/admin/api/users/data';

const FILTERS = ['code', 'codePrefix', 'userId', 'status', 'endReason', 'createdAfter', 'createdBefore', 'endedAfter',
	'endedBefore', 'minMessages', 'maxMessages'];

function filtersOfAddress() {
	const parameters = new URLSearchParams(window.location.search);
	const filters = new URLSearchParams();
	for (const name of FILTERS) {
		const value = parameters.get(name);
		if (value) {
			filters.set(name, value);
		}
	}
	return filters;
}

function fillForm(form, filters) {
	for (const name of FILTERS) {
		if (filters.has(name)) {
			form.elements[name].value = filters.get(name);
		}
	}
	form.addEventListener('submit', (event) => {
		event.preventDefault();
		const chosen = new URLSearchParams();
		for (const name of FILTERS) {
			const value = form.elements[name].value.trim();
			if (value) {
				chosen.set(name, value);
			}
		}
		const query = chosen.toString();
		window.location.assign('/admin/' + (query ? '?' + query : ''));
	});
}

function sessionRow(session) {
	const href = `/admin/sessions/${encodeURIComponent(session.code)}/${session.sessionId}`;
	return el('tr', { 'data-session-id': session.sessionId },
		el('td', { class: 'code' }, el('a', { href }, session.code)),
		el('td', {}, statusBadge(session.status)),
		el('td', { class: 'code' }, session.owner ?? '–'),
		el('td', {}, time(session.createdAt)),
		el('td', { class: 'wide' }, time(session.endedAt)),
		el('td', { class: 'wide' }, session.endReason ?? '–'),
		el('td', { class: 'num' }, count(session.messageCount)),
		el('td', { class: 'num wide' }, bytes(session.messageBytes)));
}

const list = { filters: null, next: null, shown: 0, generation: 0 };

/** A page more of the list; one asked for before the list began again is dropped. */
async function listPage() {
	const body = document.querySelector('#sessions tbody');
	const more = document.getElementById('more');
	const state = document.getElementById('list-state');
	const generation = list.generation;
	more.disabled = true;
	state.textContent = 'Loading…';
	try {
		const { body: sessions, next: following } = await getJson(list.next);
		if (generation !== list.generation) {
			return;
		}
		sessions.forEach((session) => body.append(sessionRow(session)));
		list.shown += sessions.length;
		list.next = following;
		more.hidden = !list.next;
		state.textContent = list.next ? `${count(list.shown)} shown` : `${count(list.shown)} shown, the end of the list`;
	}
	catch (error) {
		if (generation !== list.generation) {
			return;
		}
		showProblem(document.getElementById('list-problem'), error);
		state.textContent = '';
		more.hidden = true;
	}
	more.disabled = false;
}

/** The list from its first page (again, after an erasure). */
function showList(filters) {
	list.generation++;
	list.filters = filters;
	list.next = `${API}/sessions?${filters}`;
	list.shown = 0;
	document.querySelector('#sessions tbody').replaceChildren();
	document.getElementById('list-problem').textContent = '';
	return listPage();
}

async function showCount(filters) {
	const where = document.getElementById('result-count');
	if (filters.get('status') === 'live' || filters.get('status') === 'ended') {
		return;
	}
	try {
		const { body } = await getJson(`${API}/sessions/count?${filters}`);
		where.textContent = body.many ? `(more than ${count(body.archived)} archived)` : `(${count(body.archived)} archived)`;
	}
	catch (ignored) {
		// the list says what is wrong with the filters
	}
}

function chart(figure, days, field, unit) {
	const most = Math.max(1, ...days.map((day) => day[field]));
	const svgNs = 'http://www.w3.org/2000/svg';
	const svg = document.createElementNS(svgNs, 'svg');
	svg.setAttribute('viewBox', `0 0 ${days.length * 10} 100`);
	svg.setAttribute('preserveAspectRatio', 'none');
	svg.setAttribute('role', 'img');
	svg.setAttribute('aria-label', `${unit} per day, largest ${count(most)}`);
	days.forEach((day, index) => {
		const height = Math.max(day[field] > 0 ? 2 : 0, (day[field] / most) * 96);
		const bar = document.createElementNS(svgNs, 'rect');
		bar.setAttribute('x', index * 10 + 1);
		bar.setAttribute('y', 100 - height);
		bar.setAttribute('width', 8);
		bar.setAttribute('height', height);
		bar.setAttribute('data-day', day.day);
		bar.setAttribute('data-value', day[field]);
		const title = document.createElementNS(svgNs, 'title');
		title.textContent = `${day.day}: ${count(day[field])} ${unit}`;
		bar.append(title);
		svg.append(bar);
	});
	const table = el('table', { class: 'visually-hidden' },
		el('tr', {}, el('th', { scope: 'col' }, 'day'), el('th', { scope: 'col' }, unit)),
		days.map((day) => el('tr', {}, el('td', {}, day.day), el('td', {}, String(day[field])))));
	figure.append(svg, table);
}

async function showOverview() {
	try {
		const { body: overview } = await getJson(`${API}/overview`);
		document.getElementById('overview-live').textContent = count(overview.live);
		document.getElementById('overview-waiting').textContent = count(overview.waiting);
		document.getElementById('overview-lag').textContent = duration(overview.archiveLagSeconds);
		const today = overview.days[overview.days.length - 1];
		document.getElementById('overview-today').textContent = count(today ? today.sessions : 0);
		chart(document.getElementById('chart-sessions'), overview.days, 'sessions', 'sessions');
		chart(document.getElementById('chart-messages'), overview.days, 'messages', 'messages');
		const recent = (overview.recentLagSeconds === null || overview.recentLagSeconds === undefined) ? ''
			: `; archives of the last hour took ${duration(overview.recentLagSeconds)} after their end`;
		document.getElementById('overview-generated').replaceChildren('As of ', time(overview.generatedAt), recent);
	}
	catch (error) {
		showProblem(document.getElementById('overview-problem'), error);
	}
}

/**
 * The panel of the user the list is filtered by: the export of everything of theirs, and
 * their erasure after a confirming dialog (Cancel sends nothing); then what it erased, and
 * the list again, now without their sessions.
 */
function showUser(userId) {
	const uri = `${USER_DATA}?userId=${encodeURIComponent(userId)}`;
	const dialog = document.getElementById('erase-user-dialog');
	const button = document.getElementById('erase-user');
	const problem = document.getElementById('user-problem');
	const result = document.getElementById('user-erased');
	document.getElementById('user-id').textContent = userId;
	document.getElementById('erase-user-name').textContent = userId;
	document.getElementById('export-user').href = uri;
	document.getElementById('user').hidden = false;
	button.addEventListener('click', () => {
		document.getElementById('erase-user-reason').value = '';
		dialog.showModal();
	});
	document.getElementById('erase-user-form').addEventListener('submit', async (event) => {
		if (event.submitter?.value !== 'erase') {
			return; // Cancel: the dialog closes, nothing is sent
		}
		const reason = document.getElementById('erase-user-reason').value.trim();
		button.disabled = true;
		problem.textContent = '';
		result.hidden = true;
		let erased;
		try {
			erased = await sendDelete(uri + (reason ? `&reason=${encodeURIComponent(reason)}` : ''));
		}
		catch (error) {
			showProblem(problem, error);
			return;
		}
		finally {
			button.disabled = false;
		}
		result.replaceChildren(el('p', {}, 'Erased ', time(new Date().toISOString()), reason ? ` (${reason})` : '', ':'),
			el('dl', { class: 'meta' },
				el('dt', {}, 'Sessions erased (theirs)'), el('dd', { id: 'erased-sessions' }, count(erased.sessions)),
				el('dt', {}, 'Participations removed'), el('dd', { id: 'erased-participations' }, count(erased.participations)),
				el('dt', {}, 'Their messages erased there'), el('dd', { id: 'erased-messages' }, count(erased.messages))),
			el('p', {}, el('a', { href: `/admin/erasures?userId=${encodeURIComponent(userId)}` }, 'See the erasure log')));
		result.hidden = false;
		result.focus();
		showCount(list.filters);
		showList(list.filters);
	});
}

const filters = filtersOfAddress();
fillForm(document.getElementById('filters'), filters);
prepareSignOut();
document.getElementById('more').addEventListener('click', listPage);
showOverview();
showCount(filters);
showList(filters);
if (filters.has('userId')) {
	showUser(filters.get('userId'));
}
