package dev.sessionhistory.model.autoconfigure;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.model.Settings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The settings both services share, prefix {@code history}. Each service binds its own
 * settings under the same prefix in a record of its own.
 *
 * @param keyPrefix the prefix of every Redis key; the API and the worker must agree on it
 * @param dueBuckets how many buckets the due index has (1 to 1024), recorded in the layout
 * hash by the first service that starts; every service must have the same, and a service
 * whose count differs from the recorded one refuses to start
 */
@ConfigurationProperties("history")
public record SessionHistoryProperties(@DefaultValue("sh") String keyPrefix,
		@DefaultValue("" + RedisKeys.DEFAULT_DUE_BUCKETS) int dueBuckets) {

	public SessionHistoryProperties {
		Settings.keyPrefix("history.key-prefix", keyPrefix);
		Settings.atLeast("history.due-buckets", dueBuckets, 1);
		Settings.atMost("history.due-buckets", dueBuckets, RedisKeys.MAX_DUE_BUCKETS);
	}

}
