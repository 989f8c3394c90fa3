package dev.sessionhistory.worker.events;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * {@code eventSubscription} in {@code /actuator/health}: down while the worker does not
 * listen to expiries and ends (it still archives, through the sweep, only later). On a
 * cluster, with each master's subscribed channels ({@code nodes}).
 */
@Component
class EventSubscriptionHealthIndicator implements HealthIndicator {

	private final ObjectProvider<RedisMessageListenerContainer> container;

	private final ObjectProvider<ClusterSubscription> cluster;

	private final SessionEventListener listener;

	private final EventQueue queue;

	private final KeyspaceNotifications keyspace;

	EventSubscriptionHealthIndicator(ObjectProvider<RedisMessageListenerContainer> container,
			ObjectProvider<ClusterSubscription> cluster, SessionEventListener listener, EventQueue queue,
			KeyspaceNotifications keyspace) {
		this.container = container;
		this.cluster = cluster;
		this.listener = listener;
		this.queue = queue;
		this.keyspace = keyspace;
	}

	@Override
	public Health health() {
		ClusterSubscription subscription = this.cluster.getIfAvailable();
		Health.Builder health;
		if (subscription != null) {
			health = (subscription.isRunning() && subscription.allSubscribed()) ? Health.up() : Health.down();
			health.withDetail("nodes", subscription.state());
		}
		else {
			RedisMessageListenerContainer listening = this.container.getObject();
			boolean up = listening.isRunning() && listening.isListening() && this.listener.allSubscribed();
			health = (up ? Health.up() : Health.down()).withDetail("channels", this.listener.subscribedChannels());
		}
		return health.withDetail("keyspaceEvents", this.keyspace.status())
			.withDetail("queuedEvents", this.queue.size())
			.build();
	}

}
