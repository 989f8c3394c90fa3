package dev.sessionhistory.api;

import java.util.List;

import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.archive.ArchiverStandIn;
import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the API's full-context tests share: the service on a random port and its management
 * port on another ({@code management.server.port}, which Boot makes random too), a client for each,
 * the beans that look into Redis and PostgreSQL behind its back, and an archiver stand-in.
 * Which servers it runs against is each subclass's choice: {@link RealServers} for most,
 * private servers it can stop for the outage tests. Settings of its own go in a
 * {@code @TestPropertySource}. The rate limits stay on, with budgets no test exhausts (all
 * of them call from 127.0.0.1): a subclass that tests the limits sets its own.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = { "history.rate-limit.creates=1000000", "history.rate-limit.appends=1000000",
		"history.rate-limit.reads=1000000", "history.rate-limit.not-found=1000000" })
public abstract class AbstractApiIntegrationTests {

	@LocalServerPort
	protected int port;

	@LocalManagementPort
	protected int managementPort;

	@Autowired
	protected StringRedisTemplate redis;

	@Autowired
	protected JdbcClient jdbc;

	@Autowired
	protected RedisKeys keys;

	protected ApiClient api;

	/** A client of the management port (health with details, metrics), without a token. */
	protected ApiClient management;

	protected ArchiverStandIn archiver;

	@BeforeEach
	protected void setUpClients() {
		this.api = new ApiClient(this.port);
		this.management = new ApiClient(this.managementPort).anonymous();
		this.archiver = new ArchiverStandIn(this.redis, this.jdbc, this.keys);
	}

	/** The seqs of a history page's messages, in page order. */
	protected static List<Long> seqs(JsonNode page) {
		return page.get("messages").values().stream().map((message) -> message.get("seq").asLong()).toList();
	}

	/**
	 * A refused session answers exactly as an unknown one: the same status, headers that
	 * matter and body, but for the code named in it.
	 */
	protected static void assertSameNotFound(Response forbidden, Response absent, String code, String unknown) {
		assertThat(forbidden.status()).isEqualTo(404);
		assertThat(absent.status()).isEqualTo(404);
		assertThat(forbidden.header("Content-Type")).isEqualTo(absent.header("Content-Type"));
		assertThat(forbidden.header("WWW-Authenticate")).isEqualTo(absent.header("WWW-Authenticate"));
		assertThat(forbidden.text().replace(code, "CODE")).isEqualTo(absent.text().replace(unknown, "CODE"));
	}

	/**
	 * An admins-only path answers everybody else as a path that does not exist: a user's
	 * token and a session access token get the {@code 404} of an unknown path, no token the
	 * {@code 401} of every path.
	 */
	protected void assertAdminsOnly(String path) {
		ApiClient user = this.api.as(TestTokens.user("auth0|no-admin"));
		Response refused = user.get(path);
		Response absent = user.get("/admin/api/nothing-here");
		assertThat(refused.status()).isEqualTo(404);
		assertThat(refused.text().replace(path.substring(1), "PATH"))
			.isEqualTo(absent.text().replace("admin/api/nothing-here", "PATH"));
		assertThat(this.api.anonymous().get(path).status()).isEqualTo(401);
		Response created = this.api.anonymous().postJson("/sessions", "{}");
		assertThat(this.api.as(created.json().get("accessToken").asString()).get(path).status()).isEqualTo(404);
	}

	/** A retryable 503 problem naming the server that is gone. */
	protected static void assertUnavailable(Response response, String server) {
		assertThat(response.status()).as(response.text()).isEqualTo(503);
		assertThat(response.header("Retry-After")).isEqualTo("5");
		assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
		assertThat(response.json().get("detail").asString()).contains(server);
	}

}
