package dev.sessionhistory.api.system;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.sessionhistory.api.ApiApplication;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.testsupport.Isolation;
import dev.sessionhistory.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API must also start while PostgreSQL is down: live sessions need only Redis.
 */
class StartWithoutPostgresIntegrationTests {

	@Test
	void startsAndServesLiveSessionsWhilePostgresIsUnreachable() throws Exception {
		String prefix = "tnopg" + UUID.randomUUID().toString().substring(0, 8);
		int deadPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			deadPort = socket.getLocalPort(); // closed again: nothing listens there
		}
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + deadPort + "/history",
				"--history.key-prefix=" + prefix));
		args.addAll(TestServers.get().redisArgs());
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ApiApplication.class)
			.run(args.toArray(String[]::new))) {
			ApiClient api = new ApiClient(((WebServerApplicationContext) context).getWebServer().getPort());
			String code = api.createSession("{}");
			assertThat(api.append(code, "{\"data\":\"still works\"}").status()).isEqualTo(201);
			ApiClient.Response history = api.get("/sessions/" + code + "/history");
			assertThat(history.status()).isEqualTo(200);
			assertThat(history.json().get("source").asString()).isEqualTo("live");
			assertThat(history.json().get("total").asInt()).isEqualTo(1);

			ApiClient.Response archives = api.get("/sessions/" + code + "/archives");
			assertThat(archives.status()).isEqualTo(503);
			assertThat(archives.headers().firstValue("Retry-After")).isPresent();
			assertThat(archives.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("application/problem+json"));
		}
		finally {
			TestServers.get().deleteKeys(prefix);
		}
	}

}
