package dev.sessionhistory.api.system;

import java.util.List;

import dev.sessionhistory.api.AbstractApiIntegrationTests;
import dev.sessionhistory.api.ApiClient.Response;
import dev.sessionhistory.testsupport.RealServers;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** One setting turns the API's description and Swagger UI off; the API itself stays. */
@RealServers
@TestPropertySource(properties = "springdoc.api-docs.enabled=false")
class ApiDocsOffIntegrationTests extends AbstractApiIntegrationTests {

	@Test
	void theDescriptionAndSwaggerUiAreGone() {
		for (String path : List.of("/v3/api-docs", "/v3/api-docs/swagger-config", "/swagger-ui.html",
				"/swagger-ui/index.html")) {
			Response anonymous = this.api.anonymous().get(path);
			assertThat(anonymous.status()).as(path).isEqualTo(404);
			assertThat(anonymous.header("Content-Type")).as(path).isEqualTo("application/problem+json");
			assertThat(this.api.get(path).status()).as(path).isEqualTo(404);
		}
		assertThat(this.api.get("/sessions/" + this.api.createSession("{}")).status()).isEqualTo(200);
	}

}
