package dev.sessionhistory.api.system;

import java.time.Clock;

import dev.sessionhistory.model.LayoutVersion;
import dev.sessionhistory.model.RedisKeys;
import io.lettuce.core.ClientOptions;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Redis client and the key layout. The timeouts are Spring Boot's standard
 * {@code spring.data.redis.*} properties.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HistoryProperties.class)
class RedisConfiguration {

	@Bean
	RedisKeys redisKeys(HistoryProperties properties) {
		return RedisKeys.withPrefix(properties.keyPrefix());
	}

	/** Records the layout version in Redis, or refuses to start against data of another layout. */
	@Bean
	ApplicationRunner layoutVersionCheck(StringRedisTemplate redis, RedisKeys keys) {
		return (arguments) -> LayoutVersion.ensureAtStartup(redis, keys);
	}

	/**
	 * Commands fail at once while Redis is unreachable instead of queueing until the
	 * timeout, so callers get a quick 503 and archived histories a quick fallback. Boot
	 * builds the rest of the client options (connect timeout and so on) around this.
	 */
	@Bean
	LettuceClientOptionsBuilderCustomizer rejectWhileDisconnected() {
		return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
