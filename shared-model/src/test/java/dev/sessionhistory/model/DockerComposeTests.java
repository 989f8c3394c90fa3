package dev.sessionhistory.model;

import java.util.List;
import java.util.Map;

import dev.sessionhistory.testsupport.ComposeFile;
import dev.sessionhistory.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docker-compose.yml consistent with what the tests and services expect; the
 * services' own tests check their environment against their properties.
 */
class DockerComposeTests {

	private final ComposeFile compose = ComposeFile.load();

	@Test
	void serversUseTheImageTagsTheTestsUse() {
		assertThat(this.compose.service("redis")).containsEntry("image", TestServers.REDIS_IMAGE);
		assertThat(this.compose.service("postgres")).containsEntry("image", TestServers.POSTGRES_IMAGE);
	}

	@Test
	void redisPersistsAndSendsExpiryEvents() {
		List<String> command = this.compose.command("redis");
		assertThat(command).containsSequence("--appendonly", "yes");
		String flags = command.get(command.indexOf("--notify-keyspace-events") + 1);
		assertThat(flags).contains("E").containsAnyOf("x", "A");
	}

	@Test
	void everyServiceHasAHealthCheckAndWaitsForHealthyDependencies() {
		for (String name : this.compose.serviceNames()) {
			assertThat(this.compose.service(name)).as(name).containsKey("healthcheck");
			assertThat(this.compose.dependsOn(name).values()).as(name).allMatch("service_healthy"::equals);
		}
		assertThat(this.compose.dependsOn("api-service")).containsKeys("redis", "postgres");
		assertThat(this.compose.dependsOn("archiver-worker")).containsKeys("redis", "postgres");
	}

	@Test
	void servicesPointAtTheComposeServersAndDatabase() {
		Map<String, String> postgres = this.compose.environment("postgres");
		for (String name : List.of("api-service", "archiver-worker")) {
			Map<String, String> env = this.compose.environment(name);
			assertThat(env).as(name)
				.containsEntry("SPRING_DATA_REDIS_URL", "redis://redis:6379")
				.containsEntry("SPRING_DATASOURCE_URL",
						"jdbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB"))
				.containsEntry("SPRING_DATASOURCE_USERNAME", postgres.get("POSTGRES_USER"));
		}
	}

}
