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

	private final EventArchiver archiver;

	private final KeyspaceNotifications keyspace;

	EventSubscriptionHealthIndicator(RedisMessageListenerContainer container, SessionEventListener listener,
			EventArchiver archiver, KeyspaceNotifications keyspace) {
		this.container = container;
		this.listener = listener;
		this.archiver = archiver;
		this.keyspace = keyspace;
	}

	@Override
	public Health health() {
		boolean up = this.container.isRunning() && this.container.isListening() && this.listener.allSubscribed();
		return ((up) ? Health.up() : Health.down()).withDetail("channels", this.listener.subscribedChannels())
			.withDetail("keyspaceEvents", this.keyspace.status())
			.withDetail("queuedEvents", this.archiver.queued())
			.build();
	}

}
