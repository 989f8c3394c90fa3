// The gallery's first page: the overview, the filters (kept in the address, so a view can
// be bookmarked and shared) and the keyset-paged list of sessions.
import { API, bytes, count, duration, el, getJson, prepareSignOut, showProblem, statusBadge, time } from './common.js';

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

async function showList(filters) {
	const body = document.querySelector('#sessions tbody');
	const more = document.getElementById('more');
	const state = document.getElementById('list-state');
	const problem = document.getElementById('list-problem');
	let next = `${API}/sessions?${filters}`;
	let shown = 0;
	async function page() {
		more.disabled = true;
		state.textContent = 'Loading…';
		try {
			const { body: sessions, next: following } = await getJson(next);
			sessions.forEach((session) => body.append(sessionRow(session)));
			shown += sessions.length;
			next = following;
			more.hidden = !next;
			state.textContent = next ? `${count(shown)} shown` : `${count(shown)} shown, the end of the list`;
		}
		catch (error) {
			showProblem(problem, error);
			state.textContent = '';
			more.hidden = true;
		}
		more.disabled = false;
	}
	more.addEventListener('click', page);
	await page();
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

const filters = filtersOfAddress();
fillForm(document.getElementById('filters'), filters);
prepareSignOut();
showOverview();
showCount(filters);
showList(filters);
