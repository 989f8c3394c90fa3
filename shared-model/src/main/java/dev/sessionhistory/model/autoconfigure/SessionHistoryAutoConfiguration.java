package dev.sessionhistory.model.autoconfigure;

import java.time.Clock;

import dev.sessionhistory.model.LayoutVersion;
import dev.sessionhistory.model.RedisKeys;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What both services need of Redis, configured alike: the key layout ({@link RedisKeys}
 * with {@code history.key-prefix} and {@code history.due-buckets}), a {@link Clock}, Lettuce client options that fail
 * commands at once while disconnected, and the layout version check at start-up. The
 * connection itself is Spring Boot's, from the standard {@code spring.data.redis.*}
 * properties. Registered in {@code META-INF/spring/…AutoConfiguration.imports}.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@EnableConfigurationProperties(SessionHistoryProperties.class)
public final class SessionHistoryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisKeys redisKeys(SessionHistoryProperties properties) {
		return RedisKeys.withPrefix(properties.keyPrefix(), properties.dueBuckets());
	}

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	/**
	 * Records the layout version in Redis, or refuses to start against data of another
	 * layout ({@link LayoutVersion#ensureAtStartup}). It runs once every bean exists, before
	 * any lifecycle starts: no web server, sweep or subscription runs against data of
	 * another layout. Never lazy, so that lazy initialisation cannot skip it.
	 */
	@Bean
	@Lazy(false)
	@ConditionalOnBean(StringRedisTemplate.class)
	SmartInitializingSingleton layoutVersionCheck(StringRedisTemplate redis, RedisKeys keys) {
		return () -> LayoutVersion.ensureAtStartup(redis, keys);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ClientOptions.class, LettuceClientOptionsBuilderCustomizer.class })
	static class LettuceConfiguration {

		/**
		 * Commands fail at once while Redis is unreachable instead of queueing until the
		 * timeout: the API answers a quick 503 (and archived histories a quick fallback), and
		 * a queued claim or purge of the worker never runs at an unknown later time (the
		 * sweep retries anyway). Lettuce still reconnects and resubscribes on its own. Boot
		 * builds the rest of the client options (connect timeout and so on) around this.
		 */
		@Bean
		LettuceClientOptionsBuilderCustomizer rejectWhileDisconnected() {
			return (options) -> options.disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS).autoReconnect(true);
		}

	}

}
