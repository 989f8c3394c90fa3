package dev.sessionhistory.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The layout hash ({@link RedisKeys#layout()}): which layout the data in Redis follows and
 * how many buckets its due index has, so the services, every worker replica and foreign
 * writers cannot disagree. Each service records it at start-up when it is absent and
 * refuses to start against data of another layout or bucket count. The scripts themselves
 * check the version each caller speaks ({@code ARGV[1]}), so a writer of another layout is
 * refused before it writes anything.
 * <p>
 * Layout 4 splits layout 3's single due index ({@link RedisKeys#legacyDue()}) into buckets;
 * layout 3 only added fields and keys to layout 2 (owners, participants, the token epoch).
 * So a hash that says 2 or 3 is upgraded to 4 in place: the worker moves the members of the
 * old index into the buckets, and instances written under layout 2 have no owner, no
 * participants and token epoch 0.
 */
public final class LayoutVersion {

	public static final String VERSION = "version";

	/** How many buckets the due index has ({@link RedisKeys#dueBuckets()}). */
	public static final String DUE_BUCKETS = "dueBuckets";

	/** The layouts that layout 4 upgrades in place. */
	static final Set<String> UPGRADABLE = Set.of("2", "3");

	private LayoutVersion() {
	}

	/**
	 * {@link #ensure}, at start-up: Redis being unreachable does not stop a service (the
	 * scripts check the version of every call anyway), data of another layout does.
	 */
	public static void ensureAtStartup(StringRedisTemplate redis, RedisKeys keys) {
		try {
			ensure(redis, keys);
		}
		catch (DataAccessException ex) {
			LogFactory.getLog(LayoutVersion.class)
				.warn("Could not check the layout version in Redis (" + ex.getMessage() + "); going on");
		}
	}

	/**
	 * Records layout {@value SessionScripts#LAYOUT_VERSION} with the bucket count of
	 * {@code keys} unless the hash exists, upgrades a hash of layout 2 or 3, then checks what
	 * it says. Layout 1 wrote no hash; its data is readable by layout 4 as well.
	 * @throws IllegalStateException if Redis holds data of another layout or bucket count
	 */
	public static void ensure(StringRedisTemplate redis, RedisKeys keys) {
		String key = keys.layout();
		String buckets = Integer.toString(keys.dueBuckets());
		redis.opsForHash().putIfAbsent(key, VERSION, SessionScripts.LAYOUT_VERSION);
		redis.opsForHash().putIfAbsent(key, DUE_BUCKETS, buckets);
		Object version = redis.opsForHash().get(key, VERSION);
		if (version != null && UPGRADABLE.contains(version.toString())) {
			// Idempotent: every service started against an older layout writes the same.
			redis.opsForHash().putAll(key, Map.of(VERSION, SessionScripts.LAYOUT_VERSION, DUE_BUCKETS, buckets));
			LogFactory.getLog(LayoutVersion.class)
				.info("Upgraded " + key + " from layout " + version + " to " + SessionScripts.LAYOUT_VERSION + " with "
						+ buckets + " due buckets; the worker moves " + keys.legacyDue() + " into them");
		}
		List<Object> values = redis.opsForHash().multiGet(key, List.of(VERSION, DUE_BUCKETS));
		String foundVersion = String.valueOf(values.get(0));
		String foundBuckets = String.valueOf(values.get(1));
		if (!SessionScripts.LAYOUT_VERSION.equals(foundVersion) || !buckets.equals(foundBuckets)) {
			throw new IllegalStateException("Redis key " + key + " says the data follows layout " + foundVersion
					+ " with " + foundBuckets + " due buckets; this service speaks layout "
					+ SessionScripts.LAYOUT_VERSION + " with " + buckets + " (history.due-buckets). Give every "
					+ "service the same history.due-buckets, or upgrade the services (see the README's upgrade path)");
		}
	}

}
