package dev.sessionhistory.worker.events;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * {@code eventSubscription} in {@code /actuator/health}: down while the worker does not
 * listen to expiries and ends (it still archives, through the sweep, only later).
 */
@Component
class EventSubscriptionHealthIndicator implements HealthIndicator {

	private final RedisMessageListenerContainer container;

	private final SessionEventListener listener;

	private final EventQueue queue;

	private final KeyspaceNotifications keyspace;

	EventSubscriptionHealthIndicator(RedisMessageListenerContainer container, SessionEventListener listener,
			EventQueue queue, KeyspaceNotifications keyspace) {
		this.container = container;
		this.listener = listener;
		this.queue = queue;
		this.keyspace = keyspace;
	}

	@Override
	public Health health() {
		boolean up = this.container.isRunning() && this.container.isListening() && this.listener.allSubscribed();
		return ((up) ? Health.up() : Health.down()).withDetail("channels", this.listener.subscribedChannels())
			.withDetail("keyspaceEvents", this.keyspace.status())
			.withDetail("queuedEvents", this.queue.size())
			.build();
	}

}
