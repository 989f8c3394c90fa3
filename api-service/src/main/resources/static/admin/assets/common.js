// What every page of the gallery shares: calls to /admin/api (the session cookie goes with
// them), building elements (always as text: the data shown was written by anybody), and
// formats. Plain modules, served as they are: no build step.

export const API = '/admin/api/gallery';

// Spring Security's single-page setup: the token is the value of a cookie the page may read,
// sent back in a header (a form field carries the masked token of the sign-in options instead).
const CSRF_COOKIE = 'XSRF-TOKEN';
const CSRF_HEADER = 'X-XSRF-TOKEN';

export class ApiError extends Error {
	constructor(status, detail) {
		super(detail);
		this.status = status;
	}
}

/** GETs JSON from the API; a session that ended (401) goes back to the sign-in page. */
export async function getJson(uri) {
	const response = await fetch(uri, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
	await check(response);
	return { body: await response.json(), next: nextLink(response.headers.get('Link')) };
}

/**
 * Sends a DELETE to the API with the session's CSRF token; resolves to the JSON it answered
 * (null for none, as a 204), and fails with the API's problem as getJson does.
 */
export async function sendDelete(uri) {
	const response = await fetch(uri, { method: 'DELETE', credentials: 'same-origin',
		headers: { Accept: 'application/json', [CSRF_HEADER]: await csrfToken() } });
	await check(response);
	const type = response.headers.get('Content-Type') || '';
	return (response.status !== 204 && type.includes('json')) ? response.json() : null;
}

async function check(response) {
	if (response.status === 401) {
		window.location.assign('/admin/sign-in?error=expired');
		throw new ApiError(401, 'Signed out');
	}
	if (!response.ok) {
		let detail = response.statusText;
		try {
			const problem = await response.json();
			detail = problem.detail || problem.title || detail;
		}
		catch (ignored) {
			// not a problem document: the status text says enough
		}
		throw new ApiError(response.status, detail);
	}
}

function csrfCookie() {
	const cookie = document.cookie.split(';').map((part) => part.trim()).find((part) => part.startsWith(`${CSRF_COOKIE}=`));
	return cookie ? decodeURIComponent(cookie.substring(CSRF_COOKIE.length + 1)) : null;
}

/** The session's CSRF token; the sign-in options set its cookie when the page has none yet. */
async function csrfToken() {
	if (!csrfCookie()) {
		await fetch('/admin/sign-in/options', { credentials: 'same-origin' });
	}
	return csrfCookie() ?? '';
}

/** The target of an RFC 8288 Link header's rel="next", or null. */
/**
 * The filters of a log page, which are its address: read from the address into the form
 * with id 'filters', and on submit the page at `path` with the ones filled in.
 * @returns the filters, as query parameters
 */
export function addressFilters(names, path) {
	const parameters = new URLSearchParams(window.location.search);
	const filters = new URLSearchParams();
	const form = document.getElementById('filters');
	for (const name of names) {
		if (parameters.get(name)) {
			filters.set(name, parameters.get(name));
			form.elements[name].value = parameters.get(name);
		}
	}
	form.addEventListener('submit', (event) => {
		event.preventDefault();
		const chosen = new URLSearchParams();
		names.filter((name) => form.elements[name].value.trim())
			.forEach((name) => chosen.set(name, form.elements[name].value.trim()));
		window.location.assign(path + (chosen.toString() ? '?' + chosen : ''));
	});
	return filters;
}

/**
 * A log page's list: the rows `row` makes of each entry of `first` and the pages after
 * it, one more for each click of the button with id 'more', and what is shown so far.
 */
export function logPages(first, body, row) {
	const more = document.getElementById('more');
	const state = document.getElementById('list-state');
	let next = first;
	let shown = 0;
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
	page();
}

export function nextLink(header) {
	if (!header) {
		return null;
	}
	const match = /<([^>]+)>\s*;\s*rel="next"/.exec(header);
	return match ? match[1] : null;
}

/** An element with attributes and children (strings become text nodes, never markup). */
export function el(name, attributes = {}, ...children) {
	const element = document.createElement(name);
	for (const [key, value] of Object.entries(attributes)) {
		if (value === null || value === undefined || value === false) {
			continue;
		}
		if (key === 'class') {
			element.className = value;
		}
		else if (key.startsWith('on')) {
			element.addEventListener(key.substring(2), value);
		}
		else {
			element.setAttribute(key, value === true ? '' : value);
		}
	}
	for (const child of children.flat()) {
		if (child !== null && child !== undefined) {
			element.append(child instanceof Node ? child : String(child));
		}
	}
	return element;
}

export function showProblem(where, error) {
	where.textContent = (error instanceof ApiError) ? `${error.status}: ${error.message}` : String(error);
}

const numbers = new Intl.NumberFormat('en');

export function count(value) {
	return (value === null || value === undefined) ? '–' : numbers.format(value);
}

export function bytes(value) {
	if (value === null || value === undefined) {
		return '–';
	}
	const units = ['B', 'KiB', 'MiB', 'GiB'];
	let unit = 0;
	let scaled = value;
	while (scaled >= 1024 && unit < units.length - 1) {
		scaled /= 1024;
		unit++;
	}
	return `${unit === 0 ? scaled : scaled.toFixed(1)} ${units[unit]}`;
}

/** An ISO-8601 instant as the admin's local time, to the second; the instant in a title. */
export function time(iso) {
	if (!iso) {
		return el('span', {}, '–');
	}
	const date = new Date(iso);
	const shown = Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-GB', { hour12: false });
	return el('time', { datetime: iso, title: iso }, shown);
}

export function duration(seconds) {
	if (seconds === null || seconds === undefined) {
		return '–';
	}
	if (seconds < 1) {
		return `${Math.round(seconds * 1000)} ms`;
	}
	if (seconds < 120) {
		return `${seconds.toFixed(1)} s`;
	}
	if (seconds < 7200) {
		return `${Math.round(seconds / 60)} min`;
	}
	return `${(seconds / 3600).toFixed(1)} h`;
}

export function statusBadge(status) {
	return el('span', { class: `status ${status}` }, status);
}

/** Fills the sign-out form's CSRF field (the token comes with the sign-in options). */
export async function prepareSignOut() {
	const form = document.getElementById('sign-out');
	if (!form) {
		return;
	}
	try {
		const response = await fetch('/admin/sign-in/options', { credentials: 'same-origin' });
		const options = await response.json();
		form.append(el('input', { type: 'hidden', name: options.csrf.parameter, value: options.csrf.token }));
	}
	catch (ignored) {
		form.hidden = true;
	}
}
