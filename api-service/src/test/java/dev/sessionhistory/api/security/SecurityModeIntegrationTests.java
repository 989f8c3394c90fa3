package dev.sessionhistory.api.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import dev.sessionhistory.api.ApiApplication;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.testsupport.Isolation;
import dev.sessionhistory.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.TestSocketUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Secure mode cannot start half-configured, and open mode is what it says, loudly.
 */
class SecurityModeIntegrationTests {

	@Test
	void secureModeRefusesToStartWithoutASessionTokenSecret() {
		assertThatException().isThrownBy(() -> run((context) -> {
		}, "--history.security.mode=secure", "--history.security.session-token.secret="))
			.havingRootCause()
			.withMessageContaining("history.security.session-token.secret is not set");
	}

	@Test
	void openModeLetsAnyoneDoAnythingAndSaysSoInHealth() {
		run((context) -> {
			ApiClient api = new ApiClient(((WebServerApplicationContext) context).getWebServer().getPort()).anonymous();
			ApiClient management = new ApiClient(
					context.getEnvironment().getRequiredProperty("local.management.port", Integer.class)).anonymous();
			String code = api.createSession("{}");
			assertThat(api.append(code, "{\"data\":1}").status()).isEqualTo(201);
			assertThat(api.get("/sessions/" + code + "/history").status()).isEqualTo(200);
			assertThat(api.post("/sessions/" + code + "/end").status()).isEqualTo(202);
			ApiClient.Response health = management.get("/actuator/health");
			assertThat(health.json().at("/components/security/details/mode").asString()).isEqualTo("open");
			assertThat(health.json().at("/components/security/details/warning").asString())
				.contains("anyone can read, append to and end any session");
		}, "--history.security.mode=open");
	}

	@Test
	void anActuatorOnThePublicPortIsForAdminsOnly() {
		int port = TestSocketUtils.findAvailableTcpPort();
		run((context) -> {
			ApiClient api = new ApiClient(port);
			assertThat(api.anonymous().get("/actuator/metrics").status()).isEqualTo(401);
			assertThat(api.anonymous().get("/actuator/health").status()).isEqualTo(401);
			assertThat(api.as(TestTokens.user("someone")).get("/actuator/prometheus").status()).isEqualTo(403);
			assertThat(api.get("/actuator/health").json().at("/components/security/details/mode").asString())
				.as("an admin").isEqualTo("secure");
		}, "--server.port=" + port, "--management.server.port=" + port);
	}

	private static void run(Consumer<ConfigurableApplicationContext> test, String... settings) {
		String name = "tsec" + UUID.randomUUID().toString().substring(0, 8);
		TestServers servers = TestServers.get();
		servers.createDatabase(name);
		List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + servers.jdbcUrl(name),
				"--history.key-prefix=" + name));
		args.addAll(servers.redisArgs());
		if (Arrays.stream(settings).noneMatch((setting) -> setting.startsWith("--server.port="))) {
			args.addAll(List.of("--server.port=0", "--management.server.port=0"));
		}
		args.addAll(List.of(settings));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ApiApplication.class)
			.run(args.toArray(String[]::new))) {
			test.accept(context);
		}
		finally {
			servers.deleteKeys(name);
			servers.dropDatabase(name);
		}
	}

}
