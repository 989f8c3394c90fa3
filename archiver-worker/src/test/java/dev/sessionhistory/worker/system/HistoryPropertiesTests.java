package dev.sessionhistory.worker.system;

import dev.sessionhistory.testsupport.SettingChecks;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void defaultsAreTheDocumentedOnes() {
		this.runner.run((context) -> {
			HistoryProperties properties = context.getBean(HistoryProperties.class);
			assertThat(properties.workerId()).isNotBlank();
			assertThat(properties.configureKeyspaceEvents()).isTrue();
			assertThat(properties.sweep().interval()).hasSeconds(2);
			assertThat(properties.sweep().reconcileInterval()).hasMinutes(5);
			assertThat(properties.sweep().reconcileBatch()).isEqualTo(1000);
			assertThat(properties.archive().claimTtl()).hasSeconds(30);
			assertThat(properties.retention().archive()).isNull();
			assertThat(properties.retention().enabled()).isFalse();
			assertThat(properties.retention().interval()).hasMinutes(1);
			assertThat(properties.retention().batchSize()).isEqualTo(500);
		});
	}

	@Test
	void aRetentionOfAMinuteOrMoreTurnsRetentionOn() {
		this.runner.withPropertyValues("history.retention.archive=1m").run((context) -> {
			assertThat(context).hasNotFailed();
			HistoryProperties.Retention retention = context.getBean(HistoryProperties.class).retention();
			assertThat(retention.archive()).hasMinutes(1);
			assertThat(retention.enabled()).isTrue();
		});
	}

	@Test
	void badSettingsStopStartUpNamingTheSetting() {
		assertFailure("history.archive.batch-size=0", "history.archive.batch-size must be at least 1");
		assertFailure("history.archive.claim-ttl=10ms", "history.archive.claim-ttl must be at least 1000 ms");
		assertFailure("history.archive.backoff-max=1ms", "history.archive.backoff-max must be at least 500 ms");
		assertFailure("history.sweep.interval=0s", "history.sweep.interval");
		assertFailure("history.sweep.reconcile-batch=0", "history.sweep.reconcile-batch must be at least 1");
		assertFailure("history.sweep.reconcile-batch=10001", "history.sweep.reconcile-batch must be at most 10000");
		assertFailure("history.retention.archive=59s",
				"history.retention.archive must be at least 1 minute (or unset, to keep archives forever) but was 59000 ms");
		assertFailure("history.retention.archive=0s", "history.retention.archive must be at least 1 minute");
		assertFailure("history.retention.archive=-7d", "history.retention.archive must be at least 1 minute");
		assertFailure("history.retention.interval=0s", "history.retention.interval must be at least 10 ms");
		assertFailure("history.retention.batch-size=0", "history.retention.batch-size must be at least 1");
		assertFailure("history.retention.batch-size=10001", "history.retention.batch-size must be at most 10000");
	}

	private void assertFailure(String setting, String message) {
		SettingChecks.assertRefused(this.runner, setting, message);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(HistoryProperties.class)
	static class PropertiesConfiguration {

	}

}
