package dev.sessionhistory.worker.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sessionhistory.worker.redis.RedisNodes;
import dev.sessionhistory.worker.redis.RedisNodes.Node;
import dev.sessionhistory.worker.system.HistoryProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

/**
 * Makes Redis publish {@code expired} keyevent notifications ({@code notify-keyspace-events}
 * flags {@code E} and {@code x}; {@code A} implies {@code x}), adding to the flags already
 * set and never removing one, on every node of a cluster (masters, and replicas so that
 * one promoted by a failover publishes them too). Runs at every (re)subscription, since a
 * restarted server may have lost the setting.
 */
@Component
class KeyspaceNotifications {

	static final String PARAMETER = "notify-keyspace-events";

	private static final Log logger = LogFactory.getLog(KeyspaceNotifications.class);

	private final RedisNodes nodes;

	private final boolean enabled;

	private volatile String status = "not checked yet";

	private boolean warned;

	KeyspaceNotifications(RedisNodes nodes, HistoryProperties properties) {
		this.nodes = nodes;
		this.enabled = properties.configureKeyspaceEvents();
	}

	void ensure() {
		if (!this.enabled) {
			this.status = "not checked (history.configure-keyspace-events=false); every Redis node must have "
					+ PARAMETER + " Ex";
			return;
		}
		List<Node> nodes = List.of();
		try {
			nodes = this.nodes.nodes();
			List<String> set = new ArrayList<>();
			String wanted = null;
			for (Node node : nodes) {
				Map<String, String> config = this.nodes.run(node, (commands) -> commands.configGet(PARAMETER));
				String current = (config != null) ? config.getOrDefault(PARAMETER, "") : "";
				wanted = withExpiredEvents(current);
				if (!wanted.equals(current)) {
					String flags = wanted;
					this.nodes.run(node, (commands) -> commands.configSet(PARAMETER, flags));
					set.add(node.address() + " from '" + current + "' to '" + wanted + "'");
				}
			}
			if (!set.isEmpty()) {
				logger.info("Set " + PARAMETER + " on " + String.join(", ", set));
			}
			this.status = (nodes.size() == 1) ? "enabled (" + PARAMETER + " " + wanted + ")"
					: "enabled on " + nodes.size() + " nodes";
			this.warned = false;
		}
		catch (RuntimeException ex) {
			this.status = "unknown: CONFIG refused; sessions that expire are archived by the sweep";
			if (!this.warned) {
				this.warned = true;
				logger.warn("Could not check or set " + PARAMETER + " ("
						+ NestedExceptionUtils.getMostSpecificCause(ex).getMessage() + "). Configure "
						+ ((nodes.size() > 1) ? "every Redis node" : "the Redis server") + " with '" + PARAMETER
						+ " Ex' (or add E and x to its flags), or set history.configure-keyspace-events=false once "
						+ "it is; until then sessions that expire are archived by the sweep, within "
						+ "history.sweep.interval, instead of at once.");
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
