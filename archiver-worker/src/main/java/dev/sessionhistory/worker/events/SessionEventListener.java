package dev.sessionhistory.worker.events;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.worker.events.SessionEvent.Ended;
import dev.sessionhistory.worker.events.SessionEvent.Expired;
import dev.sessionhistory.worker.events.SessionEvent.Subscribed;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.Topic;
import org.springframework.stereotype.Component;

/**
 * Receives the {@code expired} keyevents of the database and the explicit ends published
 * on the events channel, from Spring's listener container on a single Redis or from the
 * {@link ClusterSubscription} on a cluster. Runs on the client's I/O thread, so it only
 * parses and queues.
 */
@Component
class SessionEventListener implements MessageListener, SubscriptionListener {

	private final RedisKeys keys;

	private final EventQueue queue;

	private final String expiredChannel;

	private final Set<String> subscribed = ConcurrentHashMap.newKeySet();

	SessionEventListener(RedisKeys keys, EventQueue queue, RedisConnectionFactory connectionFactory) {
		this.keys = keys;
		this.queue = queue;
		int database = (connectionFactory instanceof LettuceConnectionFactory lettuce) ? lettuce.getDatabase() : 0;
		this.expiredChannel = "__keyevent@" + database + "__:expired";
	}

	String expiredChannel() {
		return this.expiredChannel;
	}

	String eventsChannel() {
		return this.keys.events();
	}

	/**
	 * A subscription to one of the channels began: events may have been missed, so the next
	 * batch checks the server's settings and asks for a sweep ({@link EventArchiver}).
	 */
	void resubscribed() {
		this.queue.offer(new Subscribed());
	}

	List<Topic> topics() {
		return List.of(new ChannelTopic(this.expiredChannel), new ChannelTopic(this.keys.events()));
	}

	@Override
	public void onMessage(Message message, byte[] pattern) {
		received(new String(message.getChannel(), StandardCharsets.UTF_8),
				new String(message.getBody(), StandardCharsets.UTF_8));
	}

	/** A message on one of the {@link #topics()}, from whichever subscription. */
	void received(String channel, String body) {
		if (this.expiredChannel.equals(channel)) {
			// Every key of the database that expires lands here; only live keys of our prefix count.
			this.keys.codeOfLiveKey(body).ifPresent((code) -> this.queue.offer(new Expired(code)));
		}
		else if (this.keys.events().equals(channel)) {
			RedisKeys.parseRef(body).ifPresent((ref) -> this.queue.offer(new Ended(ref)));
		}
	}

	/** Also called when the client resubscribes after a reconnect: events may have been missed. */
	@Override
	public void onChannelSubscribed(byte[] channel, long count) {
		this.subscribed.add(new String(channel, StandardCharsets.UTF_8));
		this.queue.offer(new Subscribed());
	}

	@Override
	public void onChannelUnsubscribed(byte[] channel, long count) {
		this.subscribed.remove(new String(channel, StandardCharsets.UTF_8));
	}

	Set<String> subscribedChannels() {
		return Set.copyOf(this.subscribed);
	}

	boolean allSubscribed() {
		return this.subscribed.containsAll(List.of(this.expiredChannel, this.keys.events()));
	}

}
