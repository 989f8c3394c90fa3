// One session instance: its metadata, and its messages as a timeline paged through the
// history API (a 10,000-message session opens at once and loads more as it scrolls), with
// jumps to a seq or a time and a search. A live session is polled: new messages appear at
// the end, and the page switches to the archive when the session is archived. An admin may
// erase it, after confirming in a dialog.
import { API, ApiError, bytes, count, duration, el, getJson, prepareSignOut, sendDelete, showProblem, statusBadge, time }
	from './common.js';

const PAGE = 500;
const POLL_MS = 2000;
/** Data of up to this many characters is shown open; longer data is folded. */
const OPEN_BELOW = 2000;

const [, , , rawCode, sessionId] = window.location.pathname.split('/');
const code = decodeURIComponent(rawCode || '');
const base = `${API}/sessions/${encodeURIComponent(code)}/${sessionId}`;

const timeline = document.getElementById('timeline');
const later = document.getElementById('later');
const earlier = document.getElementById('earlier');
const problem = document.getElementById('timeline-problem');

// generation: which reset of the timeline (a jump) the pages in flight belong to
const view = { first: 0, last: 0, hasLater: false, loading: false, source: null, total: 0, generation: 0 };

/** A user id as a link to the list of the user's sessions, where their data is exported or erased. */
function userLink(userId) {
	return el('a', { class: 'code user', href: `/admin/?userId=${encodeURIComponent(userId)}` }, userId);
}

function field(list, name, value) {
	list.append(el('dt', {}, name), el('dd', {}, value));
}

async function showDetail() {
	const where = document.getElementById('session-problem');
	try {
		const { body: session } = await getJson(base);
		document.getElementById('session-code').textContent = session.code;
		document.getElementById('session-status').replaceChildren(statusBadge(session.status));
		document.title = `${session.code} · Session Gallery`;
		const meta = document.getElementById('session-meta');
		meta.replaceChildren();
		field(meta, 'Instance', el('span', { class: 'code' }, session.sessionId));
		field(meta, 'Owner', session.owner ? userLink(session.owner) : 'nobody (created without a user)');
		field(meta, 'Participants', session.participants.length === 0 ? 'none'
			: el('ul', { class: 'participants' }, session.participants.map((participant) =>
				el('li', {}, userLink(participant.userId), ` (${participant.rights.join(', ')})`))));
		field(meta, 'Created', time(session.createdAt));
		if (session.status === 'live') {
			field(meta, 'Expires', time(session.expiresAt));
		}
		else {
			field(meta, 'Ended', el('span', {}, time(session.endedAt), session.endReason ? ` (${session.endReason})` : ''));
			field(meta, 'Archived', time(session.archivedAt));
			if (session.archiveLagMillis !== null && session.archiveLagMillis !== undefined) {
				field(meta, 'Archive lag', `${duration(session.archiveLagMillis / 1000)} after its end`);
			}
		}
		field(meta, 'Messages', count(session.messageCount));
		field(meta, 'Size', bytes(session.messageBytes));
		return session;
	}
	catch (error) {
		showProblem(where, error);
		return null;
	}
}

function messageItem(message) {
	const head = el('div', { class: 'message-head' },
		el('span', { class: 'seq' }, `#${message.seq}`),
		message.sentAt ? time(message.sentAt) : null,
		message.userId ? el('span', {}, 'user ', el('span', { class: 'code' }, message.userId)) : null,
		message.sender ? el('span', {}, 'sender ', el('span', { class: 'code' }, message.sender)) : null,
		message.type ? el('span', { class: 'type' }, message.type) : null,
		message.erased ? el('span', {}, 'erased') : null,
		message.malformed ? el('span', {}, 'malformed entry, kept as text') : null);
	let body = null;
	const content = message.malformed ? message.raw : message.data;
	if (content !== undefined) {
		const text = (typeof content === 'string' && message.malformed) ? content : JSON.stringify(content, null, 2);
		body = el('details', { class: 'data', open: text.length < OPEN_BELOW },
			el('summary', {}, `data (${count(text.length)} characters)`), el('pre', {}, text));
	}
	return el('li', { id: `seq-${message.seq}`, 'data-seq': message.seq }, head, body);
}

function history(query) {
	return getJson(`${base}/history?${query}`).then(({ body }) => body);
}

function showSource(page) {
	if (view.source === 'erased') {
		return; // a page asked for before the erasure
	}
	view.source = page.source;
	view.total = page.total;
	document.getElementById('source').textContent = page.source;
	document.getElementById('total').textContent = count(page.total);
	updateLater();
}

function updateLater() {
	if (view.hasLater) {
		later.textContent = 'Loading more…';
	}
	else if (view.source === 'live') {
		later.textContent = 'The end so far: new messages appear here while the session is live.';
	}
	else {
		later.textContent = `The end of the session (${count(view.total)} messages).`;
	}
}

/** Shows the messages after seq (the timeline starting there, emptied when reset). */
async function load(after, reset) {
	const generation = reset ? ++view.generation : view.generation;
	view.loading = true;
	try {
		const page = await history(`after=${after}&limit=${PAGE}`);
		if (generation !== view.generation) {
			return; // a jump began since: its page is the one to show
		}
		showSource(page);
		if (reset) {
			timeline.replaceChildren();
			view.first = page.messages.length ? page.messages[0].seq : after + 1;
		}
		page.messages.forEach((message) => timeline.append(messageItem(message)));
		if (page.messages.length) {
			view.last = page.messages[page.messages.length - 1].seq;
		}
		else if (reset) {
			view.last = after;
		}
		view.hasLater = page.hasMore;
		earlier.hidden = view.first <= 1;
		updateLater();
	}
	catch (error) {
		if (generation === view.generation) {
			showProblem(problem, error);
		}
	}
	finally {
		if (generation === view.generation) {
			view.loading = false;
			requestAnimationFrame(loadIfNearTheEnd);
		}
	}
}

/** More messages while the end of the timeline is in (or near) sight. */
function loadIfNearTheEnd() {
	if (view.hasLater && !view.loading && later.getBoundingClientRect().top < window.innerHeight + 600) {
		load(view.last, false);
	}
}

async function loadEarlier() {
	const page = await history(`before=${view.first}&limit=${PAGE}`);
	const anchor = timeline.firstElementChild;
	timeline.prepend(...page.messages.map(messageItem));
	if (page.messages.length) {
		view.first = page.messages[0].seq;
	}
	earlier.hidden = view.first <= 1;
	if (anchor) {
		anchor.scrollIntoView();
	}
}

async function jumpTo(seq) {
	problem.textContent = '';
	await load(Math.max(0, seq - 1), true);
	const target = document.getElementById(`seq-${seq}`) || timeline.firstElementChild;
	if (target) {
		target.classList.add('hit');
		target.scrollIntoView({ block: 'start' });
		target.setAttribute('tabindex', '-1');
		target.focus({ preventScroll: true });
	}
}

/** The first seq sent at or after the instant, by bisection over one-message pages. */
async function seqAt(instant) {
	let low = 1;
	let high = view.total;
	while (low < high) {
		const middle = Math.floor((low + high) / 2);
		const page = await history(`after=${middle - 1}&limit=1`);
		const sent = page.messages.length ? Date.parse(page.messages[0].sentAt) : NaN;
		if (Number.isNaN(sent) || sent >= instant) {
			high = middle;
		}
		else {
			low = middle + 1;
		}
	}
	return low;
}

/** Every message whose stored text holds the text (case-insensitive), from the first. */
async function find(text) {
	const needle = text.toLowerCase();
	const hits = [];
	let after = 0;
	let more = true;
	while (more && hits.length < 100) {
		const page = await history(`after=${after}&limit=1000`);
		for (const message of page.messages) {
			if (JSON.stringify(message).toLowerCase().includes(needle)) {
				hits.push(message.seq);
			}
		}
		more = page.hasMore && page.messages.length > 0;
		after = page.messages.length ? page.messages[page.messages.length - 1].seq : after;
	}
	return hits;
}

function showHits(text, hits) {
	const where = document.getElementById('hits');
	if (hits.length === 0) {
		where.replaceChildren(el('p', { class: 'note', role: 'status' }, `No message holds “${text}”.`));
		return;
	}
	where.replaceChildren(el('p', { class: 'note', role: 'status' },
		`${hits.length === 100 ? 'The first 100' : count(hits.length)} messages hold “${text}”:`),
	el('ul', { class: 'hits' }, hits.map((seq) => el('li', {}, el('a', { href: `#seq-${seq}`, 'data-seq': seq,
		onclick: (event) => { event.preventDefault(); jumpTo(seq); } }, `#${seq}`)))));
}

function wireTools() {
	document.getElementById('jump-seq').addEventListener('submit', (event) => {
		event.preventDefault();
		jumpTo(Number.parseInt(event.target.elements.seq.value, 10));
	});
	document.getElementById('jump-time').addEventListener('submit', async (event) => {
		event.preventDefault();
		const instant = Date.parse(event.target.elements.time.value);
		if (Number.isNaN(instant)) {
			problem.textContent = 'Give the time as an ISO-8601 instant, such as 2026-11-24T10:00:00Z.';
			return;
		}
		jumpTo(await seqAt(instant));
	});
	document.getElementById('find').addEventListener('submit', async (event) => {
		event.preventDefault();
		const text = event.target.elements.text.value;
		try {
			showHits(text, await find(text));
		}
		catch (error) {
			showProblem(problem, error);
		}
	});
	document.getElementById('to-end').addEventListener('click', () => jumpTo(Math.max(1, view.total - PAGE + 1)));
	document.getElementById('load-earlier').addEventListener('click', () => loadEarlier().catch((error) => showProblem(problem, error)));
	new IntersectionObserver(loadIfNearTheEnd, { rootMargin: '600px' }).observe(later);
}

/** The erase button, its dialog, and what the page shows once the session is erased. */
function wireErase() {
	const dialog = document.getElementById('erase-dialog');
	const button = document.getElementById('erase');
	const where = document.getElementById('session-problem');
	button.addEventListener('click', () => {
		document.getElementById('erase-reason').value = '';
		dialog.showModal();
	});
	document.getElementById('erase-form').addEventListener('submit', async (event) => {
		if (event.submitter?.value !== 'erase') {
			return; // Cancel: the dialog closes, nothing is sent
		}
		const reason = document.getElementById('erase-reason').value.trim();
		button.disabled = true;
		where.textContent = '';
		try {
			await sendDelete(base + (reason ? `?reason=${encodeURIComponent(reason)}` : ''));
		}
		catch (error) {
			showProblem(where, error);
			button.disabled = false;
			return;
		}
		showErased(reason);
	});
}

function showErased(reason) {
	view.source = 'erased'; // stops the polling
	view.generation++; // and drops the pages still in flight
	view.hasLater = false;
	document.getElementById('session-status').replaceChildren(statusBadge('erased'));
	const meta = document.getElementById('session-meta');
	meta.replaceChildren();
	field(meta, 'Instance', el('span', { class: 'code' }, sessionId));
	field(meta, 'Erased', el('span', {}, time(new Date().toISOString()), reason ? ` (${reason})` : ''));
	for (const id of ['export-json', 'export-ndjson', 'erase']) {
		document.getElementById(id).hidden = true;
	}
	const erased = document.getElementById('erased');
	erased.replaceChildren('Erased: its messages, participants and archive are gone. ',
		el('a', { href: `/admin/erasures?code=${encodeURIComponent(code)}` }, 'See the erasure log'));
	erased.hidden = false;
	timeline.replaceChildren();
	earlier.hidden = true;
	document.getElementById('timeline-section').hidden = true;
	document.getElementById('hits').replaceChildren();
}

/** While live: new messages at the end, and the switch to the archive when it is written. */
function poll() {
	setTimeout(async () => {
		if (view.source === 'live' && !view.loading) {
			try {
				if (view.hasLater) {
					showSource(await history('limit=1')); // not at the end: only whether it is still live
				}
				else {
					await load(view.last, false);
				}
				if (view.source !== 'live' && view.source !== 'erased') {
					await showDetail();
				}
			}
			catch (error) {
				if (view.source !== 'erased') {
					showProblem(problem, error);
				}
			}
		}
		if (view.source === 'live') {
			poll();
		}
	}, POLL_MS);
}

async function start() {
	prepareSignOut();
	document.getElementById('export-json').href = `${base}/export?format=json`;
	document.getElementById('export-ndjson').href = `${base}/export?format=ndjson`;
	wireTools();
	wireErase();
	const session = await showDetail();
	if (!session) {
		return;
	}
	document.getElementById('erase').hidden = false;
	await load(0, true);
	poll();
}

start().catch((error) => showProblem(problem, error instanceof ApiError ? error : String(error)));
