package dev.sessionhistory.worker.events;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sessionhistory.worker.redis.RedisNodes;
import dev.sessionhistory.worker.redis.RedisNodes.Node;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.scheduling.TaskScheduler;

/**
 * The event subscription on Redis Cluster, where keyspace events are node-local: each master
 * publishes the expiries of its own keys to its own subscribers only. So both channels are
 * subscribed on every master, each through Lettuce's connection to that node (Spring Data's
 * listener container would subscribe on one node). Lettuce resubscribes a node connection
 * after a reconnect by itself; this follows the topology: every
 * {@value #CHECK_SECONDS} s and at each {@link ClusterTopologyChangedEvent} (which can come
 * before the client's node list is updated, hence the periodic re-read) it subscribes the
 * masters not subscribed yet (a promoted replica, a new node) and unsubscribes nodes that are
 * no masters any more.
 * <p>
 * Expiries are taken only from nodes that are masters in the client's latest view: a
 * replica (or a demoted master still subscribed) would duplicate them. An explicit end is
 * published cluster-wide, so it arrives once per master; each is taken once (remembered
 * {@value #ENDS_REMEMBERED_SECONDS} s). A (re)subscription of any node asks for a sweep, as
 * on a single Redis: events may have been missed meanwhile.
 */
final class ClusterSubscription implements SmartLifecycle {

	static final long CHECK_SECONDS = 1;

	static final long ENDS_REMEMBERED_SECONDS = 30;

	private static final Log logger = LogFactory.getLog(ClusterSubscription.class);

	private final RedisNodes nodes;

	private final SessionEventListener listener;

	private final TaskScheduler scheduler;

	/** Node id → the channels it is subscribed to. */
	private final Map<String, Set<String>> subscribed = new ConcurrentHashMap<>();

	private final Cache<String, Boolean> recentEnds = Caffeine.newBuilder()
		.expireAfterWrite(Duration.ofSeconds(ENDS_REMEMBERED_SECONDS))
		.maximumSize(100_000)
		.build();

	private volatile Set<String> masters = Set.of();

	private volatile List<Node> lastMasters = List.of();

	private StatefulRedisClusterPubSubConnection<String, String> connection;

	private ScheduledFuture<?> check;

	private Disposable topologyEvents;

	private volatile boolean running;

	private boolean failing;

	ClusterSubscription(RedisNodes nodes, SessionEventListener listener, TaskScheduler scheduler) {
		this.nodes = nodes;
		this.listener = listener;
		this.scheduler = scheduler;
	}

	@Override
	public synchronized void start() {
		this.running = true;
		this.topologyEvents = this.nodes.client()
			.getResources()
			.eventBus()
			.get()
			.filter(ClusterTopologyChangedEvent.class::isInstance)
			.subscribe((event) -> this.scheduler.schedule(this::check, this.scheduler.getClock().instant()));
		this.check = this.scheduler.scheduleWithFixedDelay(this::check, Duration.ofSeconds(CHECK_SECONDS));
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		if (this.check != null) {
			this.check.cancel(false);
		}
		if (this.topologyEvents != null) {
			this.topologyEvents.dispose();
		}
		if (this.connection != null) {
			this.connection.close();
			this.connection = null;
		}
		this.subscribed.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Starts where Spring's listener container would: after the sweep and the queue. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

	/** Subscribes the masters that are not, unsubscribes the nodes that are no masters. */
	synchronized void check() {
		if (!this.running) {
			return;
		}
		try {
			if (this.connection == null) {
				this.connection = connect();
			}
			List<Node> now = this.nodes.masters();
			this.lastMasters = now;
			this.masters = now.stream().map(Node::id).collect(Collectors.toUnmodifiableSet());
			String[] channels = { this.listener.expiredChannel(), this.listener.eventsChannel() };
			for (Node master : now) {
				Set<String> has = this.subscribed.getOrDefault(master.id(), Set.of());
				if (!has.isEmpty()) {
					// Down while its connection is: Lettuce resubscribes it when it is back.
					this.connection.getConnectionAsync(master.id()).thenAccept((node) -> {
						if (!node.isOpen()) {
							this.subscribed.remove(master.id());
						}
					});
				}
				if (!has.containsAll(List.of(channels))) {
					this.connection.getConnectionAsync(master.id())
						.thenCompose((node) -> node.async().subscribe(channels).toCompletableFuture())
						.whenComplete((done, ex) -> {
							if (ex != null) {
								logger.debug("Could not subscribe on " + master.address() + " yet: " + ex.getMessage());
							}
						});
				}
			}
			for (String id : Set.copyOf(this.subscribed.keySet())) {
				if (!this.masters.contains(id)) {
					this.subscribed.remove(id);
					unsubscribe(id, channels);
				}
			}
			if (this.failing) {
				logger.info("Following the cluster's masters again");
				this.failing = false;
			}
		}
		catch (RuntimeException ex) {
			// The cluster unreachable: the next check retries; the sweep goes on meanwhile.
			if (!this.failing) {
				this.failing = true;
				logger.warn("Could not follow the cluster's masters, retrying every " + CHECK_SECONDS + " s: "
						+ NestedExceptionUtils.getMostSpecificCause(ex).getMessage());
			}
		}
	}

	/** Whether every master is subscribed to both channels. */
	boolean allSubscribed() {
		List<Node> now = this.lastMasters;
		return !now.isEmpty() && now.stream().allMatch((master) -> this.subscribed.getOrDefault(master.id(), Set.of())
			.containsAll(List.of(this.listener.expiredChannel(), this.listener.eventsChannel())));
	}

	/** Each master's address → the channels it is subscribed to, for health. */
	Map<String, Object> state() {
		Map<String, Object> state = new LinkedHashMap<>();
		for (Node master : this.lastMasters) {
			state.put(master.address(), Set.copyOf(this.subscribed.getOrDefault(master.id(), Set.of())));
		}
		return state;
	}

	private StatefulRedisClusterPubSubConnection<String, String> connect() {
		StatefulRedisClusterPubSubConnection<String, String> opened = this.nodes.client()
			.connectPubSub(StringCodec.UTF8);
		opened.setNodeMessagePropagation(true);
		opened.addListener(new RedisClusterPubSubAdapter<>() {

			@Override
			public void message(RedisClusterNode node, String channel, String message) {
				received(node, channel, message);
			}

			@Override
			public void subscribed(RedisClusterNode node, String channel, long count) {
				if (node != null) {
					ClusterSubscription.this.subscribed.computeIfAbsent(node.getNodeId(), (id) -> ConcurrentHashMap
						.newKeySet()).add(channel);
					ClusterSubscription.this.listener.resubscribed();
				}
			}

			@Override
			public void unsubscribed(RedisClusterNode node, String channel, long count) {
				if (node != null) {
					Set<String> channels = ClusterSubscription.this.subscribed.get(node.getNodeId());
					if (channels != null) {
						channels.remove(channel);
					}
				}
			}

		});
		return opened;
	}

	private void received(RedisClusterNode node, String channel, String message) {
		if (channel.equals(this.listener.expiredChannel())) {
			if (node != null && this.masters.contains(node.getNodeId())) {
				this.listener.received(channel, message);
			}
		}
		else if (channel.equals(this.listener.eventsChannel())
				&& this.recentEnds.asMap().putIfAbsent(message, Boolean.TRUE) == null) {
			this.listener.received(channel, message);
		}
	}

	private void unsubscribe(String nodeId, String[] channels) {
		try {
			this.connection.getConnectionAsync(nodeId)
				.thenCompose((node) -> node.async().unsubscribe(channels).toCompletableFuture());
		}
		catch (RuntimeException ex) {
			// A node that left the cluster: its connection is gone with it.
		}
	}

}
