package dev.sessionhistory.worker.events;

import dev.sessionhistory.worker.redis.RedisNodes;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.data.redis.autoconfigure.RedisMessageListenerContainerConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.TaskScheduler;

/**
 * The event subscription: Spring's listener container against a single Redis, the
 * {@link ClusterSubscription} on Redis Cluster ({@code spring.data.redis.cluster.nodes} set,
 * as Spring Boot decides between the two).
 */
@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

	/** The setting that makes Spring Boot connect to a cluster. */
	static final String CLUSTER_NODES = "spring.data.redis.cluster.nodes";

	/**
	 * Replaces Boot's container of that name, keeping its {@code spring.data.redis.listener.*}
	 * settings (subscription recovery back-off).
	 */
	@Bean
	@Conditional(NotCluster.class)
	RedisMessageListenerContainer redisMessageListenerContainer(RedisMessageListenerContainerConfigurer configurer,
			RedisConnectionFactory connectionFactory, SessionEventListener listener) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		configurer.configure(container, connectionFactory);
		// The listener only queues: no need for a thread per message.
		container.setTaskExecutor(new SyncTaskExecutor());
		container.addMessageListener(listener, listener.topics());
		return container;
	}

	@Bean
	@ConditionalOnProperty(name = CLUSTER_NODES)
	ClusterSubscription clusterSubscription(RedisNodes nodes, SessionEventListener listener, TaskScheduler scheduler) {
		return new ClusterSubscription(nodes, listener, scheduler);
	}

	static final class NotCluster extends NoneNestedConditions {

		NotCluster() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty(name = CLUSTER_NODES)
		static final class Cluster {

		}

	}

}
