package dev.sessionhistory.model.autoconfigure;

import dev.sessionhistory.model.Settings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The settings both services share, prefix {@code history}. Each service binds its own
 * settings under the same prefix in a record of its own.
 *
 * @param keyPrefix the prefix of every Redis key; the API and the worker must agree on it
 */
@ConfigurationProperties("history")
public record SessionHistoryProperties(@DefaultValue("sh") String keyPrefix) {

	public SessionHistoryProperties {
		Settings.keyPrefix("history.key-prefix", keyPrefix);
	}

}
