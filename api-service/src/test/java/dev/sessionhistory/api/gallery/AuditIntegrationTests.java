package dev.sessionhistory.api.gallery;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.api.audit.AdminAudit;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit log of the gallery's reads and exports: each recorded once however often it is
 * repeated within its window, before the answer (a read it cannot record fails), listed
 * newest first in keyset pages, for admins only.
 */
@RealServers
class AuditIntegrationTests extends AbstractApiIntegrationTests {

	private static final String AUDIT = "/admin/api/audit";

	private String adminId;

	private ApiClient admin;

	@BeforeEach
	void admin() {
		this.adminId = "auditor-" + UUID.randomUUID();
		this.admin = this.api.as(TestTokens.admin(this.adminId));
	}

	@Test
	void aReadAndAnExportAreRecordedOnceEachHoweverManyPagesAndTimes() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		for (int i = 0; i < 30; i++) {
			assertThat(this.api.append(code, "{\"data\":" + i + "}").status()).isEqualTo(201);
		}
		String instance = "/admin/api/gallery/sessions/" + code + "/" + sessionId;
		awaitRoomInTheWindow();
		assertThat(this.admin.get(instance).status()).isEqualTo(200);
		for (int after = 0; after < 30; after += 5) {
			assertThat(this.admin.get(instance + "/history?limit=5&after=" + after).status()).isEqualTo(200);
		}
		Instant beforeExport = Instant.now();
		for (String format : new String[] { "json", "ndjson", "json" }) {
			assertThat(this.admin.get(instance + "/export?format=" + format).status()).isEqualTo(200);
		}
		assertThat(this.admin.get(instance.replace(sessionId.toString(), UUID.randomUUID().toString())).status())
			.as("an unknown instance: nothing read, nothing recorded")
			.isEqualTo(404);
		assertThat(this.api.get(instance + "/history").status()).as("another admin").isEqualTo(200);

		List<JsonNode> rows = list(AUDIT + "?adminId=" + encode(this.adminId));
		assertThat(rows).extracting((row) -> row.get("action").asString()).containsExactly("export", "read");
		for (JsonNode row : rows) {
			assertThat(row.get("adminId").asString()).isEqualTo(this.adminId);
			assertThat(row.get("code").asString()).isEqualTo(code);
			assertThat(row.get("sessionId").asString()).isEqualTo(sessionId.toString());
			assertThat(row.get("id").asLong()).isPositive();
		}
		assertThat(Instant.parse(rows.get(0).get("at").asString())).isAfterOrEqualTo(beforeExport.minusMillis(1));
		assertThat(Instant.parse(rows.get(1).get("at").asString())).isBeforeOrEqualTo(beforeExport);
		assertThat(list(AUDIT + "?code=" + code)).extracting((row) -> row.get("adminId").asString())
			.containsExactly("admin-1", this.adminId, this.adminId);
		assertThat(this.jdbc.sql("SELECT count(*) FROM admin_audit WHERE session_id = ?")
			.param(sessionId)
			.query(Integer.class)
			.single()).isEqualTo(3);
	}

	@Test
	void theLogIsNewestFirstInKeysetPagesByAdminAndByCode() {
		List<String> codes = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			String code = this.api.createSession("{}");
			codes.add(0, code);
			assertThat(this.admin.get("/admin/api/gallery/sessions/" + code + "/" + this.api.sessionId(code)).status())
				.isEqualTo(200);
		}
		String mine = AUDIT + "?adminId=" + encode(this.adminId);
		assertThat(list(mine)).extracting((row) -> row.get("code").asString()).containsExactlyElementsOf(codes);
		List<String> paged = new ArrayList<>();
		String next = mine + "&limit=2";
		for (int page = 0; next != null; page++) {
			assertThat(page).isLessThan(5);
			Response response = this.admin.get(next);
			assertThat(response.status()).as(response.text()).isEqualTo(200);
			response.json().values().forEach((row) -> paged.add(row.get("code").asString()));
			next = response.next();
		}
		assertThat(paged).containsExactlyElementsOf(codes);
		assertThat(list(AUDIT + "?code=" + codes.get(2))).extracting((row) -> row.get("code").asString())
			.containsExactly(codes.get(2));
		assertThat(list(AUDIT + "?limit=1000")).hasSizeGreaterThanOrEqualTo(5);

		String cursor = this.admin.get(mine + "&limit=1").next();
		cursor = cursor.substring(cursor.indexOf("cursor=") + 7);
		assertThat(this.admin.get(AUDIT + "?cursor=" + cursor).status()).as("another list's cursor").isEqualTo(400);
		for (String query : new String[] { "colour=red", "adminId=", "code=a%20b", "limit=0", "cursor=xyz" }) {
			Response response = this.admin.get(AUDIT + "?" + query);
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.json().get("detail").asString()).as(query).contains("'" + query.split("=")[0] + "'");
		}
	}

	@Test
	void aReadThatCannotBeRecordedFailsWithA503AndServesNothing() {
		String code = this.api.createSession("{}");
		UUID sessionId = this.api.sessionId(code);
		assertThat(this.api.append(code, "{\"data\":\"secret\"}").status()).isEqualTo(201);
		String instance = "/admin/api/gallery/sessions/" + code + "/" + sessionId;
		this.jdbc.sql("""
				CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql
				AS $$ BEGIN RAISE EXCEPTION 'the audit log refuses this row'; END $$
				""").update();
		this.jdbc.sql("CREATE TRIGGER refuse_audit BEFORE INSERT ON admin_audit FOR EACH ROW WHEN (NEW.session_code = '"
				+ code + "') EXECUTE FUNCTION refuse_audit()").update();
		try {
			for (String suffix : new String[] { "", "/history", "/export", "/export?format=ndjson" }) {
				Response refused = this.admin.get(instance + suffix);
				assertThat(refused.status()).as(suffix).isEqualTo(503);
				assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
				assertThat(refused.header("Retry-After")).isEqualTo("5");
				assertThat(refused.header("Content-Disposition")).isNull();
				assertThat(refused.json().get("detail").asString()).contains("audit log");
				assertThat(refused.text()).doesNotContain("secret");
			}
		}
		finally {
			this.jdbc.sql("DROP FUNCTION refuse_audit CASCADE").update();
		}
		assertThat(this.admin.get(instance + "/history").text()).contains("secret");
		assertThat(list(AUDIT + "?code=" + code)).hasSize(1);
	}

	@Test
	void onlyAdminsSeeTheLog() {
		ApiClient user = this.api.as(TestTokens.user("someone-" + UUID.randomUUID()));
		Response refused = user.get(AUDIT);
		assertThat(refused.status()).isEqualTo(404);
		assertThat(refused.text().replace("admin/api/audit", "PATH"))
			.isEqualTo(user.get("/admin/api/nothing-here").text().replace("admin/api/nothing-here", "PATH"));
		assertThat(this.api.anonymous().get(AUDIT).status()).isEqualTo(401);
		String token = this.api.anonymous().postJson("/sessions", "{}").json().get("accessToken").asString();
		assertThat(this.api.as(token).get(AUDIT).status()).isEqualTo(404);
	}

	/** Away from the end of an audit window, so that the calls that follow share one. */
	private static void awaitRoomInTheWindow() {
		long window = AdminAudit.WINDOW.toSeconds();
		await().atMost(Duration.ofSeconds(40)).until(() -> Instant.now().getEpochSecond() % window < window - 30);
	}

	private List<JsonNode> list(String path) {
		Response response = this.admin.get(path);
		assertThat(response.status()).as(response.text()).isEqualTo(200);
		List<JsonNode> rows = new ArrayList<>();
		response.json().values().forEach(rows::add);
		return rows;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
