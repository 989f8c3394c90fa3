package dev.sessionhistory.api.live;

import java.time.Duration;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.RedisOfItsOwn;
import dev.sessionhistory.testsupport.PrivateRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code history.append.replicas=1} an append is acknowledged only once the replica has
 * it; without a replica to have it, it is stored but answered 503, and a retry with the same
 * id is acknowledged (with the original) once the replica is back and has it.
 */
@DirtiesContext
@TestPropertySource(properties = { "history.append.replicas=1", "history.append.replica-timeout=300ms" })
class ReplicatedAppendsIntegrationTests extends AbstractApiIntegrationTests {

	@RegisterExtension
	static final RedisOfItsOwn servers = RedisOfItsOwn.start("replicated");

	private static final PrivateRedis replica = PrivateRedis.start("--replicaof", "127.0.0.1",
			Integer.toString(servers.redis().port()));

	@DynamicPropertySource
	static void servers(DynamicPropertyRegistry registry) {
		servers.register(registry);
	}

	@AfterAll
	static void stopReplica() {
		replica.close();
	}

	@Test
	void anAppendIsAcknowledgedOnceTheReplicaHasItAndNotBefore() {
		awaitReplicaInSync();
		String code = this.api.createSession("{\"code\":\"REPL\"}");
		UUID sessionId = this.api.sessionId(code);
		Response stored = this.api.append(code, "{\"id\":\"m1\",\"data\":\"on two servers\"}");
		assertThat(stored.status()).isEqualTo(201);
		// acknowledged: the replica has it, with no wait on this side
		assertThat(onReplica(this.keys.messages(code, sessionId))).isEqualTo(1);

		replica.stop();
		Response unreplicated = this.api.append(code, "{\"id\":\"m2\",\"data\":\"only on the master\"}");
		assertThat(unreplicated.status()).as(unreplicated.text()).isEqualTo(503);
		assertThat(unreplicated.header("Retry-After")).isEqualTo("1");
		assertThat(unreplicated.json().get("detail").asString()).contains("stored but on 0 of the 1 replicas")
			.contains("retry with the same id");
		// stored: a retry finds it, and is not acknowledged either while no replica has it
		assertThat(this.api.append(code, "{\"id\":\"m2\",\"data\":\"only on the master\"}").status()).isEqualTo(503);

		replica.restart();
		awaitReplicaInSync();
		Response retried = this.api.append(code, "{\"id\":\"m2\",\"data\":\"only on the master\"}");
		assertThat(retried.status()).as(retried.text()).isEqualTo(200);
		assertThat(retried.json().get("seq").asLong()).isEqualTo(2);
		assertThat(onReplica(this.keys.messages(code, sessionId))).isEqualTo(2);
		assertThat(this.api.get("/sessions/" + code + "/history").json().get("total").asInt()).isEqualTo(2);
	}

	private void awaitReplicaInSync() {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> replicaInfo().contains("master_link_status:up"));
	}

	private static String replicaInfo() {
		RedisClient client = RedisClient.create(replica.url());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().info("replication");
		}
		catch (RuntimeException ex) {
			return "";
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
	}

	private static long onReplica(String listKey) {
		RedisClient client = RedisClient.create(replica.url());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().llen(listKey);
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
	}

}
