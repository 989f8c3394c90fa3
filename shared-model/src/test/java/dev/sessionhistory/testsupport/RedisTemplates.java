package dev.sessionhistory.testsupport;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A template on a connection of its own to the test Redis, for tests without an
 * application context; closing it closes the connection.
 *
 * @param factory its connection factory
 * @param template the template
 */
public record RedisTemplates(LettuceConnectionFactory factory, StringRedisTemplate template) implements AutoCloseable {

	public static RedisTemplates connect() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(TestServers.get().redisConfiguration());
		factory.afterPropertiesSet();
		factory.start();
		return new RedisTemplates(factory, new StringRedisTemplate(factory));
	}

	@Override
	public void close() {
		this.factory.destroy();
	}

}
