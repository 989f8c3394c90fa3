package dev.sessionhistory.api.system;

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
			assertThat(properties.session().defaultTtl()).hasHours(24);
			assertThat(properties.message().maxSize().toKilobytes()).isEqualTo(16);
			assertThat(properties.message().maxCount()).isEqualTo(10_000);
			assertThat(properties.safetyTtl()).hasDays(7);
			assertThat(properties.session().maxBytes().toMegabytes()).isEqualTo(16);
			assertThat(properties.session().maxParticipants()).isEqualTo(1000);
			assertThat(properties.page().maxBytes().toMegabytes()).isEqualTo(1);
			assertThat(properties.archiveCache().maxSize().toMegabytes()).isEqualTo(64);
			HistoryProperties.RateLimit rateLimit = properties.rateLimit();
			assertThat(rateLimit.enabled()).isTrue();
			assertThat(rateLimit.period()).hasMinutes(1);
			assertThat(rateLimit.creates()).isEqualTo(60);
			assertThat(rateLimit.appends()).isEqualTo(1200);
			assertThat(rateLimit.reads()).isEqualTo(6000);
			assertThat(rateLimit.notFound()).isEqualTo(30);
			assertThat(rateLimit.syncInterval()).hasSeconds(1);
			assertThat(rateLimit.maxBuckets()).isEqualTo(100_000);
			assertThat(properties.cors().allowedOrigins()).isEmpty();
		});
	}

	@Test
	void allowedOriginsAreOriginsOrAnyOrigin() {
		this.runner.withPropertyValues("history.cors.allowed-origins=https://app.example.com,http://localhost:3000")
			.run((context) -> assertThat(context.getBean(HistoryProperties.class).cors().allowedOrigins())
				.containsExactly("https://app.example.com", "http://localhost:3000"));
		this.runner.withPropertyValues("history.cors.allowed-origins=*")
			.run((context) -> assertThat(context.getBean(HistoryProperties.class).cors().allowedOrigins())
				.containsExactly("*"));
	}

	@Test
	void aBadOriginStopsStartUpSayingWhatAnOriginIs() {
		for (String origin : new String[] { "app.example.com", "https://app.example.com/", "https://app.example.com/x",
				"ftp://app.example.com", "https://", "https://user@app.example.com", "https://app.example.com?x=1",
				"https://app example.com", "*.example.com" }) {
			assertFailure("history.cors.allowed-origins=" + origin,
					"history.cors.allowed-origins must hold origins such as 'https://app.example.com'");
		}
		assertFailure("history.cors.allowed-origins=*,https://app.example.com",
				"history.cors.allowed-origins is '*' (any origin) or a list of origins, not both");
	}

	@Test
	void badSettingsStopStartUpNamingTheSetting() {
		assertFailure("history.session.default-ttl=500ms", "history.session.default-ttl must be at least 1000 ms");
		assertFailure("history.session.max-ttl=1h", "history.session.max-ttl must be at least");
		assertFailure("history.message.max-count=0", "history.message.max-count must be at least 1");
		assertFailure("history.message.max-size=0", "history.message.max-size");
		assertFailure("history.retry-after=0s", "history.retry-after");
		assertFailure("history.safety-ttl=-1s", "history.safety-ttl");
		assertFailure("history.page.max-bytes=100B", "history.page.max-bytes");
		assertFailure("history.page.max-bytes=1GB", "history.page.max-bytes");
		assertFailure("history.session.max-bytes=10B", "history.session.max-bytes");
		assertFailure("history.session.max-participants=0", "history.session.max-participants must be at least 1");
		assertFailure("history.session.max-participants=1000001", "history.session.max-participants must be at most");
		assertFailure("history.archive-cache.max-size=-1B", "history.archive-cache.max-size");
		assertFailure("history.rate-limit.reads=0", "history.rate-limit.reads must be at least 1");
		assertFailure("history.rate-limit.not-found=-1", "history.rate-limit.not-found");
		assertFailure("history.rate-limit.period=500ms", "history.rate-limit.period must be at least 1000 ms");
		assertFailure("history.rate-limit.sync-interval=1ms", "history.rate-limit.sync-interval");
		assertFailure("history.rate-limit.sync-interval=2m", "history.rate-limit.period (at least the sync-interval)");
		assertFailure("history.rate-limit.max-buckets=0", "history.rate-limit.max-buckets");
	}

	private void assertFailure(String setting, String message) {
		SettingChecks.assertRefused(this.runner, setting, message);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(HistoryProperties.class)
	static class PropertiesConfiguration {

	}

}
