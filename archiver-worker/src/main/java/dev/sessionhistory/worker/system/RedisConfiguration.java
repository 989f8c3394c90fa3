package dev.sessionhistory.worker.system;

import dev.sessionhistory.model.LayoutVersion;
import dev.sessionhistory.model.RedisKeys;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

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
	 * Fails commands at once while disconnected instead of queueing them: a queued claim
	 * or purge would run at an unknown later time, and the sweep retries anyway. Lettuce
	 * still reconnects and resubscribes on its own.
	 */
	@Bean
	LettuceClientOptionsBuilderCustomizer rejectWhileDisconnected() {
		return (options) -> options.disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS).autoReconnect(true);
	}

}
