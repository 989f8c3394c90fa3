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

	private static final String CLUSTER_INIT = "redis-cluster-init";

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
			if (!name.equals(CLUSTER_INIT)) {
				assertThat(this.compose.service(name)).as(name).containsKey("healthcheck");
			}
			// the one job is waited for until it completed, every server until it is healthy
			this.compose.dependsOn(name)
				.forEach((dependency, condition) -> assertThat(condition).as(name + " on " + dependency)
					.isEqualTo(dependency.equals(CLUSTER_INIT) ? "service_completed_successfully" : "service_healthy"));
		}
		assertThat(this.compose.dependsOn("api-service")).containsKeys("redis", "postgres");
		assertThat(this.compose.dependsOn("archiver-worker")).containsKeys("redis", "postgres");
	}

	@Test
	void theClusterProfileRunsTheSystemOnAClusterOfThreeMasters() {
		List<String> nodes = List.of("redis-node-1", "redis-node-2", "redis-node-3");
		for (String node : nodes) {
			assertThat(this.compose.service(node)).containsEntry("image", TestServers.REDIS_IMAGE)
				.containsEntry("profiles", List.of("cluster"));
			List<String> command = this.compose.command(node);
			assertThat(command).containsSequence("--cluster-enabled", "yes").containsSequence("--appendonly", "yes");
			assertThat(command.get(command.indexOf("--notify-keyspace-events") + 1)).contains("E").containsAnyOf("x", "A");
		}
		String create = String.join(" ", this.compose.command(CLUSTER_INIT));
		assertThat(create).contains("--cluster create").contains("--cluster-yes");
		nodes.forEach((node) -> assertThat(create).contains("getent hosts " + node));
		assertThat(this.compose.dependsOn(CLUSTER_INIT)).containsOnlyKeys(nodes);
		for (String name : List.of("api-service-cluster", "archiver-worker-cluster")) {
			assertThat(this.compose.environment(name)).as(name)
				.containsEntry("SPRING_DATA_REDIS_CLUSTER_NODES", String.join(",",
						nodes.stream().map((node) -> node + ":6379").toList()));
			assertThat(this.compose.dependsOn(name)).as(name).containsKeys(CLUSTER_INIT, "postgres");
		}
		assertThat(this.compose.service("api-service-cluster")).containsEntry("ports", List.of("8090:8080"));
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
