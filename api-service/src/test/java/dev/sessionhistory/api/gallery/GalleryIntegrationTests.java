package dev.sessionhistory.api.gallery;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Session Gallery's list, against real Redis and PostgreSQL: each filter, the order
 * (in Redis first, then archives newest first by creation), paging across both halves,
 * the count, and who may ask.
 */
@RealServers
class GalleryIntegrationTests extends AbstractApiIntegrationTests {

	private static final String SESSIONS = "/admin/api/gallery/sessions";

	private String prefix;

	private final String aliceId = "auth0|alice/" + UUID.randomUUID();

	private ApiClient alice;

	@BeforeEach
	void fixture() {
		this.prefix = "G" + UUID.randomUUID().toString().substring(0, 5).toUpperCase().replace('-', 'X');
		this.alice = this.api.as(TestTokens.user(this.aliceId));
	}

	@Test
	void eachFilterFindsItsSessionsInRedisAndInTheArchive() throws Exception {
		String small = archived(this.alice, code("A1"), 1);
		Thread.sleep(5); // creation times apart by a few milliseconds, to order the archives
		String big = archived(this.api, code("A2"), 12);
		Instant between = Instant.now();
		Thread.sleep(5);
		String expired = archived(this.api, code("A3"), 2);
		this.jdbc.sql("UPDATE session_history SET end_reason = 'expired' WHERE session_code = ?").param(expired).update();
		String waiting = this.api.createSession("{\"code\":\"" + code("E1") + "\"}");
		assertThat(this.api.post("/sessions/" + waiting + "/end").status()).isEqualTo(202);
		String live = this.alice.createSession("{\"code\":\"" + code("L1") + "\"}");
		assertThat(this.alice.append(live, "{\"id\":\"m\",\"data\":1}").status()).isEqualTo(201);

		assertThat(codes("codePrefix=" + this.prefix)).containsExactly(live, waiting, expired, big, small);
		assertThat(pagedCodes("codePrefix=" + this.prefix, 1)).containsExactly(live, waiting, expired, big, small);
		assertThat(pagedCodes("codePrefix=" + this.prefix, 2)).containsExactly(live, waiting, expired, big, small);
		assertThat(codes("code=" + big)).containsExactly(big);
		assertThat(codes("code=" + live)).containsExactly(live);
		assertThat(codes("codePrefix=" + this.prefix + "&status=live")).containsExactly(live);
		assertThat(codes("codePrefix=" + this.prefix + "&status=ended")).containsExactly(waiting);
		assertThat(codes("codePrefix=" + this.prefix + "&status=archived")).containsExactly(expired, big, small);
		assertThat(codes("codePrefix=" + this.prefix + "&userId=" + encode(this.aliceId))).containsExactly(live, small);
		assertThat(codes("codePrefix=" + this.prefix + "&endReason=expired")).containsExactly(expired);
		assertThat(codes("codePrefix=" + this.prefix + "&endReason=ended")).containsExactly(waiting, big, small);
		assertThat(codes("codePrefix=" + this.prefix + "&minMessages=10")).containsExactly(big);
		assertThat(codes("codePrefix=" + this.prefix + "&maxMessages=1")).containsExactly(live, waiting, small);
		assertThat(codes("codePrefix=" + this.prefix + "&createdBefore=" + between)).containsExactly(big, small);
		assertThat(codes("codePrefix=" + this.prefix + "&createdAfter=" + between)).containsExactly(live, waiting,
				expired);
		assertThat(codes("codePrefix=" + this.prefix + "&endedBefore=" + between)).containsExactly(big, small);
		assertThat(codes("codePrefix=" + this.prefix + "&endedAfter=" + between)).containsExactly(waiting, expired);

		JsonNode first = list("code=" + big).get(0);
		assertThat(first.get("status").asString()).isEqualTo("archived");
		assertThat(first.get("messageCount").asLong()).isEqualTo(12);
		assertThat(first.get("messageBytes").asLong()).isPositive();
		assertThat(first.get("archivedAt").asString()).isNotBlank();
		assertThat(list("code=" + small).get(0).get("owner").asString()).isEqualTo(this.aliceId);
		assertThat(list("code=" + live).get(0).get("endedAt").isNull()).isTrue();

		Response count = this.api.get(SESSIONS + "/count?codePrefix=" + this.prefix);
		assertThat(count.json().get("archived").asInt()).isEqualTo(3);
		assertThat(count.json().get("many").asBoolean()).isFalse();
	}

	@Test
	void onlyAdminsSeeTheGalleryAndEveryOtherCallerGetsThePathsUsualAnswers() {
		assertAdminsOnly(SESSIONS);
		assertAdminsOnly(SESSIONS + "/count");
	}

	@Test
	void badFiltersAreRefusedNamingTheParameter() {
		for (String query : new String[] { "colour=red", "code=a%20b", "code=AB&codePrefix=A", "status=open",
				"createdAfter=yesterday", "minMessages=-1", "minMessages=5&maxMessages=4", "endReason=killed",
				"userId=" }) {
			Response response = this.api.get(SESSIONS + "?" + query);
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
			assertThat(response.json().get("detail").asString()).as(query).contains("'" + query.split("=")[0] + "'");
		}
		// a cursor of one filter is no cursor of another
		archived(this.api, code("C1"), 1);
		archived(this.api, code("C2"), 1);
		String next = this.api.get(SESSIONS + "?limit=1&codePrefix=" + this.prefix).next();
		String cursor = next.substring(next.indexOf("cursor=") + 7);
		assertThat(this.api.get(SESSIONS + "?limit=1&status=archived&cursor=" + cursor).status()).isEqualTo(400);
	}

	private String code(String suffix) {
		return this.prefix + suffix;
	}

	/** A session with {@code messages} messages, ended and archived. */
	private String archived(ApiClient creator, String code, int messages) {
		assertThat(creator.postJson("/sessions", "{\"code\":\"" + code + "\"}").status()).isEqualTo(201);
		UUID sessionId = this.api.sessionId(code);
		for (int i = 0; i < messages; i++) {
			assertThat(this.api.append(code, "{\"id\":\"m" + i + "\",\"data\":" + i + "}").status()).isEqualTo(201);
		}
		assertThat(this.api.post("/sessions/" + code + "/end").status()).isEqualTo(202);
		this.archiver.archive(code, sessionId);
		return code;
	}

	private List<JsonNode> list(String query) {
		Response response = this.api.get(SESSIONS + "?" + query);
		assertThat(response.status()).as(response.text()).isEqualTo(200);
		List<JsonNode> items = new ArrayList<>();
		response.json().values().forEach(items::add);
		return items;
	}

	private List<String> codes(String query) {
		return list(query).stream().map((item) -> item.get("code").asString()).toList();
	}

	private List<String> pagedCodes(String query, int limit) {
		List<String> codes = new ArrayList<>();
		String next = SESSIONS + "?" + query + "&limit=" + limit;
		for (int page = 0; next != null; page++) {
			assertThat(page).isLessThan(20);
			Response response = this.api.get(next);
			assertThat(response.status()).as(response.text()).isEqualTo(200);
			response.json().values().forEach((item) -> codes.add(item.get("code").asString()));
			next = response.next();
		}
		return codes;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
