package dev.sessionhistory.model.autoconfigure;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.testsupport.Isolation;
import dev.sessionhistory.testsupport.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layout check at start-up against a real Redis: it records the layout, and data of
 * another layout stops start-up before any lifecycle (web server, sweep, subscription)
 * starts.
 */
class SessionHistoryAutoConfigurationIntegrationTests {

	private final String prefix = "tauto" + UUID.randomUUID().toString().substring(0, 8);

	private final RedisKeys keys = RedisKeys.withPrefix(this.prefix);

	private final AtomicBoolean started = new AtomicBoolean();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DataRedisAutoConfiguration.class, SessionHistoryAutoConfiguration.class))
		.withBean(Service.class, () -> new Service(this.started))
		.withPropertyValues(TestServers.get().redisArgs().stream().map((arg) -> arg.substring(2)).toArray(String[]::new))
		.withPropertyValues("history.key-prefix=" + this.prefix);

	@AfterEach
	void deleteKeys() {
		TestServers.get().deleteKeys(this.prefix);
	}

	@Test
	void startUpRecordsTheLayoutOfThisVersion() {
		this.runner.run(this::assertStartedOnLayoutFour);
	}

	@Test
	void dataOfAnotherLayoutStopsStartUpBeforeAnyLifecycleStarts() {
		recordLayout("5", "16");
		this.runner.run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("follows layout 5"));
		assertThat(this.started).isFalse();
	}

	@Test
	void dataOfLayoutTwoIsUpgradedToFourAtStartUp() {
		recordLayout("2", "1");
		this.runner.run(this::assertStartedOnLayoutFour);
	}

	@Test
	void dataOfLayoutThreeIsUpgradedToFourWithTheConfiguredBucketsAtStartUp() {
		recordLayout("3", "1");
		this.runner.withPropertyValues("history.due-buckets=8").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(StringRedisTemplate.class).opsForHash().entries(this.keys.layout()))
				.containsEntry("version", "4")
				.containsEntry("dueBuckets", "8");
		});
		// a service configured otherwise refuses the data now
		this.runner.run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.hasMessageContaining("with 8 due buckets"));
	}

	private void assertStartedOnLayoutFour(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		assertThat(context.getBean(StringRedisTemplate.class).opsForHash().entries(this.keys.layout()))
			.containsEntry("version", "4")
			.containsEntry("dueBuckets", "16");
		assertThat(this.started).isTrue();
	}

	private void recordLayout(String version, String dueBuckets) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				TestServers.get().redisConfiguration());
		factory.afterPropertiesSet();
		try {
			new StringRedisTemplate(factory).opsForHash()
				.putAll(this.keys.layout(), Map.of("version", version, "dueBuckets", dueBuckets));
		}
		finally {
			factory.destroy();
		}
	}

	/** Stands for a service's lifecycle: the web server, the sweep, the subscription. */
	static final class Service implements SmartLifecycle {

		private final AtomicBoolean started;

		Service(AtomicBoolean started) {
			this.started = started;
		}

		@Override
		public void start() {
			this.started.set(true);
		}

		@Override
		public void stop() {
			this.started.set(false);
		}

		@Override
		public boolean isRunning() {
			return this.started.get();
		}

	}

}
