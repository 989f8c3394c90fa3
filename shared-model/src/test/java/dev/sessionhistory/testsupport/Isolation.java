package dev.sessionhistory.testsupport;

import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisKeyCommands;

/**
 * One test class's share of the servers.
 *
 * @param servers the servers
 * @param database the name of the class's own database
 * @param keyPrefix the class's own Redis key prefix
 */
public record Isolation(TestServers servers, String database, String keyPrefix) {

	public String jdbcUrl() {
		return this.servers.jdbcUrl(this.database);
	}

	/** Deletes every key of the prefix and drops the database. */
	public void cleanUp() {
		this.servers.deleteKeys(this.keyPrefix);
		this.servers.dropDatabase(this.database);
	}

	/** Deletes every key {@code PREFIX:*} of a single Redis; returns how many. */
	public static long deleteKeys(String redisUrl, String prefix) {
		RedisClient client = RedisClient.create(redisUrl);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return deleteKeys(connection.sync(), connection.sync(), prefix);
		}
		finally {
			client.shutdown();
		}
	}

	/** Deletes the keys {@code PREFIX:*} that {@code scanned} holds, through {@code deleting}. */
	static long deleteKeys(RedisKeyCommands<String, String> scanned, RedisKeyCommands<String, String> deleting,
			String prefix) {
		long deleted = 0;
		ScanCursor cursor = ScanCursor.INITIAL;
		ScanArgs match = ScanArgs.Builder.matches(prefix + ":*").limit(1000);
		do {
			KeyScanCursor<String> page = scanned.scan(cursor, match);
			List<String> keys = new ArrayList<>(page.getKeys());
			if (!keys.isEmpty()) {
				deleted += deleting.del(keys.toArray(String[]::new));
			}
			cursor = page;
		}
		while (!cursor.isFinished());
		return deleted;
	}

}
