package dev.sessionhistory.worker.events;

import java.util.Properties;

import dev.sessionhistory.worker.system.HistoryProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Makes Redis publish {@code expired} keyevent notifications ({@code notify-keyspace-events}
 * flags {@code E} and {@code x}; {@code A} implies {@code x}), adding to the flags already
 * set and never removing one. Runs at every (re)subscription, since a restarted server
 * may have lost the setting.
 */
@Component
class KeyspaceNotifications {

	static final String PARAMETER = "notify-keyspace-events";

	private static final Log logger = LogFactory.getLog(KeyspaceNotifications.class);

	private final StringRedisTemplate redis;

	private final boolean enabled;

	private volatile String status = "not checked yet";

	private boolean warned;

	KeyspaceNotifications(StringRedisTemplate redis, HistoryProperties properties) {
		this.redis = redis;
		this.enabled = properties.configureKeyspaceEvents();
	}

	void ensure() {
		if (!this.enabled) {
			this.status = "not checked (history.configure-keyspace-events=false); the server must have "
					+ PARAMETER + " Ex";
			return;
		}
		try {
			String current = this.redis.execute((RedisCallback<String>) (connection) -> {
				Properties config = connection.serverCommands().getConfig(PARAMETER);
				return (config != null) ? config.getProperty(PARAMETER, "") : "";
			});
			String wanted = withExpiredEvents(current);
			if (!wanted.equals(current)) {
				this.redis.execute((RedisCallback<Void>) (connection) -> {
					connection.serverCommands().setConfig(PARAMETER, wanted);
					return null;
				});
				logger.info("Set " + PARAMETER + " from '" + current + "' to '" + wanted + "'");
			}
			this.status = "enabled (" + PARAMETER + " " + wanted + ")";
			this.warned = false;
		}
		catch (RuntimeException ex) {
			this.status = "unknown: CONFIG refused; sessions that expire are archived by the sweep";
			if (!this.warned) {
				this.warned = true;
				logger.warn("Could not check or set " + PARAMETER + " ("
						+ NestedExceptionUtils.getMostSpecificCause(ex).getMessage() + "). Configure the Redis "
						+ "server with '" + PARAMETER + " Ex' (or add E and x to its flags), or set "
						+ "history.configure-keyspace-events=false once it is; until then sessions that expire are "
						+ "archived by the sweep, within history.sweep.interval, instead of at once.");
			}
		}
	}

	String status() {
		return this.status;
	}

	/** {@code flags} plus whatever of {@code E} and {@code x} they lack. */
	static String withExpiredEvents(String flags) {
		String merged = (flags != null) ? flags : "";
		if (merged.indexOf('E') < 0) {
			merged += "E";
		}
		if (merged.indexOf('x') < 0 && merged.indexOf('A') < 0) {
			merged += "x";
		}
		return merged;
	}

}
