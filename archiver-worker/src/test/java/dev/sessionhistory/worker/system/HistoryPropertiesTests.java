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
	}

	private void assertFailure(String setting, String message) {
		SettingChecks.assertRefused(this.runner, setting, message);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(HistoryProperties.class)
	static class PropertiesConfiguration {

	}

}
