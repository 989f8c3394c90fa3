package dev.sessionhistory.api.session;

import dev.sessionhistory.api.live.SessionConflictException;
import dev.sessionhistory.api.live.SessionNotFoundException;
import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.model.InvalidSessionDataException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

/**
 * How failures of the servers behind the API reach clients: a retryable 503 for what is
 * unreachable or busy, a 502 for Redis answers at odds with the layout, never a stack
 * trace.
 */
@WebMvcTest(SessionController.class)
@AutoConfigureMockMvc(addFilters = false) // error mapping only: who may call is tested with the whole service
class SessionControllerTests {

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	Sessions sessions;

	@MockitoBean
	SessionCreator creator;

	@MockitoBean
	AccessTokens tokens;

	@Test
	void unreachableRedisIsARetryable503() {
		given(this.sessions.get("A")).willThrow(new RedisConnectionFailureException("Unable to connect"));
		assertUnavailable(this.mvc.get().uri("/sessions/A").exchange(), "Redis");
		given(this.sessions.get("B")).willThrow(new RedisSystemException("Redis exception",
				new RedisException("Currently not connected. Commands are rejected.")));
		assertUnavailable(this.mvc.get().uri("/sessions/B").exchange(), "Redis");
		given(this.sessions.get("C")).willThrow(new QueryTimeoutException("Redis command timed out",
				new io.lettuce.core.RedisCommandTimeoutException("timeout")));
		assertUnavailable(this.mvc.get().uri("/sessions/C").exchange(), "Redis");
	}

	@Test
	void unreachablePostgresIsARetryable503() {
		given(this.sessions.archives(eq("A"), any())).willThrow(new CannotGetJdbcConnectionException("no connection"));
		assertUnavailable(this.mvc.get().uri("/sessions/A/archives").exchange(), "PostgreSQL");
	}

	@Test
	void aRedisThatIsLoadingOrFailingOverIsARetryable503() {
		given(this.sessions.get("A")).willThrow(new RedisSystemException("Error in execution",
				new RedisCommandExecutionException("LOADING Redis is loading the dataset in memory")));
		assertUnavailable(this.mvc.get().uri("/sessions/A").exchange(), "Redis");
		given(this.sessions.get("B")).willThrow(new RedisSystemException("Error in execution",
				new RedisCommandExecutionException("READONLY You can't write against a read only replica.")));
		assertUnavailable(this.mvc.get().uri("/sessions/B").exchange(), "Redis");
	}

	@Test
	void anOtherErrorReplyOfRedisIsA502WithoutDetails() {
		given(this.sessions.get("A")).willThrow(new RedisSystemException("Error in execution",
				new RedisCommandExecutionException("ERR script failed: secret internals")));
		MvcTestResult result = this.mvc.get().uri("/sessions/A").exchange();
		assertThat(result).hasStatus(502).hasContentType("application/problem+json");
		assertThat(result).bodyText().doesNotContain("secret").doesNotContain("Exception");
	}

	@Test
	void sessionDataOfAForeignWriterThatBreaksTheLayoutIsA502() {
		given(this.sessions.get("A")).willThrow(new InvalidSessionDataException("meta misses 'createdAt'", null));
		MvcTestResult result = this.mvc.get().uri("/sessions/A").exchange();
		assertThat(result).hasStatus(502).hasContentType("application/problem+json");
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("key layout");
	}

	@Test
	void aBadLimitOrCursorOfArchivesIsA400BeforeAnyQuery() {
		assertThat(this.mvc.get().uri("/sessions/A/archives?limit=0").exchange()).hasStatus(400)
			.hasContentType("application/problem+json")
			.bodyJson()
			.extractingPath("$.detail")
			.asString()
			.startsWith("'limit'");
		assertThat(this.mvc.get().uri("/sessions/A/archives?cursor=bogus").exchange()).hasStatus(400)
			.hasContentType("application/problem+json")
			.bodyJson()
			.extractingPath("$.detail")
			.asString()
			.startsWith("'cursor'");
		then(this.sessions).shouldHaveNoInteractions();
	}

	@Test
	void theSessionsOwnRefusalsCarryTheirStatusAndDetail() {
		given(this.sessions.get("A")).willThrow(SessionNotFoundException.code("A"));
		assertThat(this.mvc.get().uri("/sessions/A").exchange()).hasStatus(404)
			.hasContentType("application/problem+json")
			.bodyJson()
			.isLenientlyEqualTo("{\"status\":404,\"detail\":\"No session with code 'A'\",\"instance\":\"/sessions/A\"}");
		given(this.sessions.end("B")).willThrow(new SessionConflictException("Session 'B' has ended"));
		assertThat(this.mvc.post().uri("/sessions/B/end").exchange()).hasStatus(409)
			.hasContentType("application/problem+json")
			.bodyJson()
			.isLenientlyEqualTo("{\"status\":409,\"detail\":\"Session 'B' has ended\",\"instance\":\"/sessions/B/end\"}");
	}

	@Test
	void anInvalidCodeInAPathIsUnknown() {
		assertThat(this.mvc.get().uri("/sessions/{code}", "a b").exchange()).hasStatus(404)
			.hasContentType("application/problem+json");
	}

	private static void assertUnavailable(MvcTestResult result, String server) {
		assertThat(result).hasStatus(503).hasContentType("application/problem+json").hasHeader("Retry-After", "5");
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(server);
	}

	@TestConfiguration(proxyBeanMethods = false)
	@EnableConfigurationProperties(HistoryProperties.class)
	static class Properties {

	}

}
