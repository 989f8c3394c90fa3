package dev.sessionhistory.model;

import java.util.List;
import java.util.Map;

import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The layout hash ({@link RedisKeys#layout()}): which layout the data in Redis follows and
 * how many due indexes it has, so the services, every worker replica and foreign writers
 * cannot disagree. Each service records it at start-up when it is absent and refuses to
 * start against data of another layout. The scripts themselves check the version each
 * caller speaks ({@code ARGV[1]}), so a writer of another layout is refused before it
 * writes anything.
 * <p>
 * Layout 3 only adds fields and keys to layout 2 (owners, participants, the token epoch),
 * so a hash that says 2 is upgraded to 3 in place: instances written under layout 2 have
 * no owner, no participants and token epoch 0.
 */
public final class LayoutVersion {

	public static final String VERSION = "version";

	/** Reserved for Redis Cluster: the due index split into that many buckets. 1 in layout 3. */
	public static final String DUE_BUCKETS = "dueBuckets";

	/** The layout that layout 3 upgrades in place. */
	static final String UPGRADABLE = "2";

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
	 * Records layout {@value SessionScripts#LAYOUT_VERSION} unless the hash exists, upgrades
	 * a hash of layout {@value #UPGRADABLE}, then checks what it says. Layout 1 wrote no
	 * hash; its data is readable by layout 3 as well.
	 * @throws IllegalStateException if Redis holds data of another layout or bucket count
	 */
	public static void ensure(StringRedisTemplate redis, RedisKeys keys) {
		String key = keys.layout();
		redis.opsForHash().putIfAbsent(key, VERSION, SessionScripts.LAYOUT_VERSION);
		redis.opsForHash().putIfAbsent(key, DUE_BUCKETS, "1");
		if (UPGRADABLE.equals(redis.opsForHash().get(key, VERSION))) {
			// Idempotent: every service started against layout 2 writes the same 3.
			redis.opsForHash().put(key, VERSION, SessionScripts.LAYOUT_VERSION);
			LogFactory.getLog(LayoutVersion.class)
				.info("Upgraded " + key + " from layout " + UPGRADABLE + " to " + SessionScripts.LAYOUT_VERSION);
		}
		List<Object> values = redis.opsForHash().multiGet(key, List.of(VERSION, DUE_BUCKETS));
		Map<String, Object> found = Map.of(VERSION, String.valueOf(values.get(0)), DUE_BUCKETS,
				String.valueOf(values.get(1)));
		if (!SessionScripts.LAYOUT_VERSION.equals(found.get(VERSION)) || !"1".equals(found.get(DUE_BUCKETS))) {
			throw new IllegalStateException("Redis key " + key + " says the data follows layout " + found.get(VERSION)
					+ " with " + found.get(DUE_BUCKETS) + " due indexes; this version speaks layout "
					+ SessionScripts.LAYOUT_VERSION + " with 1. Upgrade the services (see the README's upgrade path)");
		}
	}

}
