package dev.sessionhistory.api.gallery;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.api.TestTokens;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In open mode everybody reaches the gallery's instances and the audit log, and the log
 * records who it can: a caller without a token as {@code null}, a user by their id.
 */
@RealServers
@TestPropertySource(properties = "history.security.mode=open")
class GalleryOpenModeIntegrationTests extends AbstractApiIntegrationTests {

	@Test
	void anybodyReadsAndExportsAndTheLogRecordsWhoItCan() {
		ApiClient anybody = this.api.anonymous();
		String code = anybody.createSession("{}");
		UUID sessionId = anybody.sessionId(code);
		assertThat(anybody.append(code, "{\"data\":1}").status()).isEqualTo(201);
		String instance = "/admin/api/gallery/sessions/" + code + "/" + sessionId;
		assertThat(anybody.get(instance).json().get("status").asString()).isEqualTo("live");
		assertThat(anybody.get(instance + "/history").body())
			.isEqualTo(anybody.get("/sessions/" + code + "/history?sessionId=" + sessionId).body());
		assertThat(anybody.get(instance + "/export").status()).isEqualTo(200);
		String userId = "open-user-" + UUID.randomUUID();
		assertThat(this.api.as(TestTokens.user(userId)).get(instance).status()).isEqualTo(200);

		Response log = anybody.get("/admin/api/audit?code=" + code);
		assertThat(log.status()).isEqualTo(200);
		List<String> rows = new ArrayList<>();
		for (JsonNode row : log.json().values()) {
			rows.add((row.get("adminId").isNull() ? "null" : row.get("adminId").asString()) + " "
					+ row.get("action").asString());
		}
		assertThat(rows).containsExactly(userId + " read", "null export", "null read");
	}

}
