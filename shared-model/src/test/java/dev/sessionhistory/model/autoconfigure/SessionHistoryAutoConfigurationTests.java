package dev.sessionhistory.model.autoconfigure;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import dev.sessionhistory.model.RedisKeys;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the auto-configuration gives each service without a Redis server: the keys of
 * {@code history.key-prefix}, the clock, the Lettuce options, and a start-up that goes on
 * while Redis is unreachable.
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionHistoryAutoConfigurationTests {

	/** Nothing listens there: connections are refused at once. */
	private static final String UNREACHABLE_REDIS = "spring.data.redis.url=redis://127.0.0.1:1";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionHistoryAutoConfiguration.class));

	@Test
	void defaultsAreTheDocumentedOnes() {
		this.runner.run((context) -> {
			assertThat(context.getBean(SessionHistoryProperties.class).keyPrefix()).isEqualTo("sh");
			assertThat(context.getBean(RedisKeys.class).due("ROOM")).isEqualTo("sh:due:{" + RedisKeys.withPrefix("sh").dueBucketOf("ROOM") + "}");
			assertThat(context.getBean(Clock.class)).isEqualTo(Clock.systemUTC());
		});
	}

	@Test
	void theKeysFollowHistoryKeyPrefixAndItsEnvironmentVariable() {
		this.runner.withPropertyValues("history.key-prefix=app.one")
			.run((context) -> assertThat(context.getBean(RedisKeys.class).legacyDue()).isEqualTo("app.one:due"));
		this.runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("env", Map.of("HISTORY_KEY_PREFIX", "from-env"))))
			.run((context) -> assertThat(context.getBean(RedisKeys.class).legacyDue()).isEqualTo("from-env:due"));
	}

	@Test
	void aBadKeyPrefixStopsStartUpNamingTheSetting() {
		for (String prefix : new String[] { "a:b", "", "{x}", "x".repeat(33) }) {
			this.runner.withPropertyValues("history.key-prefix=" + prefix)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.as(prefix)
					.hasMessageStartingWith("history.key-prefix: "));
		}
	}

	@Test
	void theServicesMayReplaceTheKeysAndTheClock() {
		this.runner.withUserConfiguration(OwnBeans.class).withPropertyValues("history.key-prefix=ignored")
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisKeys.class).hasSingleBean(Clock.class);
				assertThat(context.getBean(RedisKeys.class).prefix()).isEqualTo("own");
				assertThat(context.getBean(Clock.class).instant()).isEqualTo(OwnBeans.NOW);
			});
	}

	@Test
	void withoutARedisConnectionThereIsNoLayoutCheck() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("layoutVersionCheck"));
	}

	@Test
	void bootsLettuceClientRejectsCommandsWhileDisconnected() {
		this.runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues(UNREACHABLE_REDIS)
			.run((context) -> {
				ClientOptions options = context.getBean(LettuceConnectionFactory.class)
					.getClientConfiguration()
					.getClientOptions()
					.orElseThrow();
				assertThat(options.getDisconnectedBehavior()).isEqualTo(DisconnectedBehavior.REJECT_COMMANDS);
				assertThat(options.isAutoReconnect()).isTrue();
			});
	}

	@Test
	void anUnreachableRedisAtStartUpIsLoggedAndStartUpGoesOn(CapturedOutput output) {
		this.runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues(UNREACHABLE_REDIS)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasBean("layoutVersionCheck");
				assertThat(output).contains("Could not check the layout version in Redis");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBeans {

		static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

		@Bean
		RedisKeys ownKeys() {
			return RedisKeys.withPrefix("own");
		}

		@Bean
		Clock fixedClock() {
			return Clock.fixed(NOW, ZoneOffset.UTC);
		}

	}

}
