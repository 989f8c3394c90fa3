package dev.sessionhistory.api.system;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

import dev.sessionhistory.model.Settings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The settings of the API service, prefix {@code history}. The key prefix, shared with the
 * archiver, is bound by shared-model ({@code SessionHistoryProperties}).
 *
 * @param safetyTtl how long an ended session's data outlives its live key when no worker
 * archives it
 * @param session session lifetimes
 * @param message message limits
 * @param page how large one history page may be
 * @param archiveCache the in-memory cache of archived histories
 * @param retryAfter the {@code Retry-After} sent with a 503 when a server is unreachable
 * @param rateLimit the budgets of requests per caller
 * @param cors which browser origins may call the API
 * @param append whether appends wait for replicas before they are acknowledged
 */
@ConfigurationProperties("history")
public record HistoryProperties(@DefaultValue("7d") Duration safetyTtl, @DefaultValue Session session,
		@DefaultValue Message message, @DefaultValue Page page, @DefaultValue ArchiveCache archiveCache,
		@DefaultValue("5s") Duration retryAfter, @DefaultValue RateLimit rateLimit, @DefaultValue Cors cors,
		@DefaultValue Append append) {

	private static final Duration SECOND = Duration.ofSeconds(1);

	public HistoryProperties {
		Settings.atLeast("history.safety-ttl", safetyTtl, SECOND);
		Settings.atLeast("history.retry-after", retryAfter, SECOND);
	}

	/**
	 * @param defaultTtl the idle lifetime of a session created without {@code ttlSeconds}
	 * @param maxTtl the largest {@code ttlSeconds} accepted
	 * @param maxBytes how many bytes of stored messages one session instance can hold,
	 * checked atomically by the append script; beyond it an append is a 422
	 * @param maxParticipants how many participants (users who appended or joined, the
	 * owner not counted) one session instance can have, checked atomically by the append
	 * and join scripts; beyond it a new participant's append is a 422
	 */
	public record Session(@DefaultValue("24h") Duration defaultTtl, @DefaultValue("30d") Duration maxTtl,
			@DefaultValue("16MB") DataSize maxBytes, @DefaultValue("1000") int maxParticipants) {

		/** The most participants the scripts accept as a limit. */
		static final int MAX_PARTICIPANTS = 1_000_000;

		public Session {
			Settings.atLeast("history.session.default-ttl", defaultTtl, SECOND);
			Settings.atLeast("history.session.max-ttl", maxTtl, defaultTtl);
			Settings.atLeast("history.session.max-bytes (bytes)", maxBytes.toBytes(), 1024);
			Settings.atLeast("history.session.max-participants", maxParticipants, 1);
			Settings.atMost("history.session.max-participants", maxParticipants, MAX_PARTICIPANTS);
		}

	}

	/**
	 * @param maxBytes the most message bytes of one history page, live and archived alike:
	 * a page stops early, with {@code hasMore}, before the message that would pass it (its
	 * first message comes whatever its size)
	 */
	public record Page(@DefaultValue("1MB") DataSize maxBytes) {

		public Page {
			Settings.atLeast("history.page.max-bytes (bytes)", maxBytes.toBytes(), 1024);
			Settings.atMost("history.page.max-bytes (bytes)", maxBytes.toBytes(), 64L * 1024 * 1024);
		}

	}

	/**
	 * @param maxSize the largest request body accepted for one message
	 * @param maxCount how many messages one session instance can hold
	 */
	public record Message(@DefaultValue("16KB") DataSize maxSize, @DefaultValue("10000") int maxCount) {

		public Message {
			Settings.atLeast("history.message.max-size (bytes)", maxSize.toBytes(), 64);
			Settings.atLeast("history.message.max-count", maxCount, 1);
		}

	}

	/**
	 * @param replicas how many replicas of its master must have an append before it is
	 * acknowledged ({@code WAIT}); 0 (the default): acknowledged when the master has it, as
	 * Redis replicates asynchronously
	 * @param replicaTimeout how long an append waits for them; a message not on enough
	 * replicas by then is answered 503 (stored, not acknowledged: a retry with the same id
	 * waits again)
	 * @param connections the connections of such appends, each held for its append and its
	 * {@code WAIT} (a {@code WAIT} blocks its connection), never the shared one
	 */
	public record Append(@DefaultValue("0") int replicas, @DefaultValue("1s") Duration replicaTimeout,
			@DefaultValue("16") int connections) {

		public Append {
			Settings.atLeast("history.append.replicas", replicas, 0);
			Settings.atMost("history.append.replicas", replicas, 16);
			Settings.atLeast("history.append.replica-timeout", replicaTimeout, Duration.ofMillis(10));
			Settings.atLeast("history.append.connections", connections, 1);
			Settings.atMost("history.append.connections", connections, 1024);
		}

	}

	/**
	 * @param maxSize the bytes of archive directories and message chunks kept in memory
	 * (both immutable), weighed in bytes; 0 disables the cache
	 */
	public record ArchiveCache(@DefaultValue("64MB") DataSize maxSize) {

		public ArchiveCache {
			Settings.atLeast("history.archive-cache.max-size (bytes)", maxSize.toBytes(), 0);
		}

	}

	/**
	 * Budgets of requests per caller (the authenticated user, else the client address),
	 * each refilled gradually over {@code period}: a budget of 60 gives back one request a
	 * second.
	 *
	 * @param enabled whether requests are rate limited at all
	 * @param period the period every budget counts over
	 * @param creates creates ({@code POST /sessions}) per caller and period
	 * @param appends appends ({@code POST /sessions/{code}/messages}) per caller and period
	 * @param reads reads ({@code GET /sessions/**}, {@code GET /me/**}) per caller and period
	 * @param notFound answers {@code 404}, and {@code 409} to a create, per caller and period;
	 * while it is used up, every call of the caller to {@code /sessions/**} is a 429
	 * @param syncInterval how often the requests each replica counted locally are added to
	 * the buckets in Redis and the others' counts read back
	 * @param maxBuckets the buckets one replica keeps in memory (a caller has one per budget
	 * it used), the least recently used forgotten first
	 */
	public record RateLimit(@DefaultValue("true") boolean enabled, @DefaultValue("1m") Duration period,
			@DefaultValue("60") long creates, @DefaultValue("1200") long appends, @DefaultValue("6000") long reads,
			@DefaultValue("30") long notFound, @DefaultValue("1s") Duration syncInterval,
			@DefaultValue("100000") int maxBuckets) {

		public RateLimit {
			Settings.atLeast("history.rate-limit.period", period, SECOND);
			Settings.atLeast("history.rate-limit.creates", creates, 1);
			Settings.atLeast("history.rate-limit.appends", appends, 1);
			Settings.atLeast("history.rate-limit.reads", reads, 1);
			Settings.atLeast("history.rate-limit.not-found", notFound, 1);
			Settings.atLeast("history.rate-limit.sync-interval", syncInterval, Duration.ofMillis(10));
			Settings.atLeast("history.rate-limit.period (at least the sync-interval)", period, syncInterval);
			Settings.atLeast("history.rate-limit.max-buckets", maxBuckets, 1);
		}

	}

	/**
	 * Cross-origin calls from browsers (CORS). Without origins the API sends no CORS header
	 * at all, and browsers keep pages of other origins from reading its answers.
	 *
	 * @param allowedOrigins the origins whose pages may call the API, each
	 * {@code scheme://host[:port]} as a browser sends it in {@code Origin} (http or https,
	 * no path), or {@code *} alone for any origin (the API's tokens travel in a header,
	 * never in a cookie a browser would send by itself)
	 */
	public record Cors(@DefaultValue List<String> allowedOrigins) {

		public Cors {
			allowedOrigins = List.copyOf(allowedOrigins);
			if (allowedOrigins.contains("*") && allowedOrigins.size() > 1) {
				throw new IllegalArgumentException(
						"history.cors.allowed-origins is '*' (any origin) or a list of origins, not both: " + allowedOrigins);
			}
			for (String origin : allowedOrigins) {
				if (!origin.equals("*")) {
					requireOrigin(origin);
				}
			}
		}

		private static void requireOrigin(String origin) {
			URI uri;
			try {
				uri = new URI(origin);
			}
			catch (URISyntaxException ex) {
				uri = null;
			}
			boolean valid = uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
					&& uri.getHost() != null && uri.getRawUserInfo() == null && uri.getRawPath().isEmpty()
					&& uri.getRawQuery() == null && uri.getRawFragment() == null;
			if (!valid) {
				throw new IllegalArgumentException("history.cors.allowed-origins must hold origins such as "
						+ "'https://app.example.com' or 'http://localhost:3000' (http or https, a host, an optional "
						+ "port, no path, not even '/'), or '*', but holds '" + origin + "'");
			}
		}

	}

}
