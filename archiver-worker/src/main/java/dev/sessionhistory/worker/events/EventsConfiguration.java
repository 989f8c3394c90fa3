package dev.sessionhistory.worker.events;

import org.springframework.boot.data.redis.autoconfigure.RedisMessageListenerContainerConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

	/**
	 * Replaces Boot's container of that name, keeping its {@code spring.data.redis.listener.*}
	 * settings (subscription recovery back-off).
	 */
	@Bean
	RedisMessageListenerContainer redisMessageListenerContainer(RedisMessageListenerContainerConfigurer configurer,
			RedisConnectionFactory connectionFactory, SessionEventListener listener) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		configurer.configure(container, connectionFactory);
		// The listener only queues: no need for a thread per message.
		container.setTaskExecutor(new SyncTaskExecutor());
		container.addMessageListener(listener, listener.topics());
		return container;
	}

}
