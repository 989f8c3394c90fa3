package dev.sessionhistory.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * One history read as a client pages through it with {@code limit}: page 1
 * ({@code after=0}), the last page (no cursor), then page after page by
 * {@code after=}<i>the last seq of the page before</i> until {@code hasMore} is false. Each
 * body is kept under its query, so two readings (live and archived) can be compared page
 * for page; whatever went wrong is in {@link #failures}.
 */
final class HistoryPages {

	static final String FIRST = "after=0";

	static final String LAST = "latest";

	/** More pages than any history of 10,000 messages can have, so a loop always ends. */
	private static final int MAX_PAGES = 20_000;

	/** Bodies by query ({@link #FIRST}, {@link #LAST}, {@code after=S}), in the order read. */
	final Map<String, String> bodies = new LinkedHashMap<>();

	/** The {@code source} of each page by query: live or archive. */
	final Map<String, String> sources = new LinkedHashMap<>();

	final List<String> failures = new ArrayList<>();

	private final long pageMaxBytes;

	private HistoryPages(long pageMaxBytes) {
		this.pageMaxBytes = pageMaxBytes;
	}

	/**
	 * @param pageMaxBytes the API's {@code history.page.max-bytes}: no page may hold more
	 * message bytes, unless it is a single message
	 */
	static HistoryPages read(Api api, String code, int limit, long pageMaxBytes) {
		HistoryPages pages = new HistoryPages(pageMaxBytes);
		String base = "/sessions/" + code + "/history?limit=" + limit;
		JsonNode page = pages.get(api, FIRST, base + "&after=0");
		pages.get(api, LAST, base);
		for (int i = 0; page != null && page.path("hasMore").asBoolean() && i < MAX_PAGES; i++) {
			JsonNode messages = page.path("messages");
			if (messages.isEmpty()) {
				pages.failures.add(code + ": a page with hasMore and no messages");
				break;
			}
			String query = "after=" + messages.get(messages.size() - 1).path("seq").asLong();
			page = pages.get(api, query, base + "&" + query);
		}
		return pages;
	}

	/** The raw text of each message of every page read, by seq. */
	Map<Long, String> messagesBySeq() {
		Map<Long, String> bySeq = new LinkedHashMap<>();
		this.bodies.values().forEach((body) -> {
			List<String> elements = elements(body);
			for (String element : elements) {
				bySeq.put(Api.JSON.readTree(element).path("seq").asLong(), element);
			}
		});
		return bySeq;
	}

	int count(String source) {
		return (int) this.sources.values().stream().filter(source::equals).count();
	}

	private JsonNode get(Api api, String query, String pathAndQuery) {
		Api.Reply reply = api.get(pathAndQuery);
		if (!reply.is(200)) {
			this.failures.add(pathAndQuery + " answered " + reply.status() + " " + JsonArrays.abbreviate(reply.body()));
			return null;
		}
		JsonNode page;
		List<String> elements;
		try {
			page = reply.json();
			elements = elements(reply.body());
		}
		catch (RuntimeException ex) {
			this.failures.add(pathAndQuery + " is no valid page: " + ex.getMessage());
			return null;
		}
		long bytes = elements.stream().mapToLong(String::length).sum();
		if (elements.size() > 1 && bytes > this.pageMaxBytes) {
			this.failures.add(pathAndQuery + " holds " + bytes + " bytes of messages, more than the page limit of "
					+ this.pageMaxBytes);
		}
		this.bodies.put(query, reply.body());
		this.sources.put(query, page.path("source").asString());
		return page;
	}

	/** The text of each message of a page: its {@code messages} array, split as written. */
	private static List<String> elements(String body) {
		int start = body.indexOf("\"messages\":[");
		if (start < 0 || !body.endsWith("]}")) {
			throw new IllegalArgumentException("no messages array at the end: " + JsonArrays.abbreviate(body));
		}
		return JsonArrays.elements(body.substring(start + "\"messages\":".length(), body.length() - 1));
	}

}
