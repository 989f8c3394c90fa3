package dev.sessionhistory.api.ratelimit;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitFilterTests {

	@Test
	void requestsCountAgainstTheBudgetOfTheirMethodAndPath() {
		assertThat(RateLimitFilter.budgetOf("POST", "/sessions")).isEqualTo(Budget.CREATE);
		assertThat(RateLimitFilter.budgetOf("POST", "/sessions/K7P2QX/messages")).isEqualTo(Budget.APPEND);
		assertThat(RateLimitFilter.budgetOf("GET", "/sessions/K7P2QX/history")).isEqualTo(Budget.READ);
		assertThat(RateLimitFilter.budgetOf("HEAD", "/sessions/K7P2QX")).isEqualTo(Budget.READ);
		assertThat(RateLimitFilter.budgetOf("GET", "/me/sessions")).isEqualTo(Budget.READ);
		assertThat(RateLimitFilter.budgetOf("POST", "/sessions/K7P2QX/end")).isNull();
		assertThat(RateLimitFilter.budgetOf("POST", "/sessions//messages")).isNull();
		assertThat(RateLimitFilter.budgetOf("POST", "/sessions/a/b/messages")).isNull();
		assertThat(RateLimitFilter.budgetOf("DELETE", "/sessions/K7P2QX")).isNull();
	}

	@Test
	void theCallerIsTheUserElseTheAddressAndAlwaysFitsAKey() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setRemoteAddr("203.0.113.7");
		assertThat(RateLimitFilter.caller(request)).isEqualTo("addr:203.0.113.7");
		request.setUserPrincipal(() -> "user-42");
		assertThat(RateLimitFilter.caller(request)).isEqualTo("user:user-42");
		request.setUserPrincipal(() -> "odd {name}");
		assertThat(RateLimitFilter.caller(request)).startsWith("sha256:").hasSize("sha256:".length() + 43);
		request.setUserPrincipal(() -> "x".repeat(500));
		assertThat(RateLimitFilter.caller(request)).startsWith("sha256:").hasSize("sha256:".length() + 43);
	}

}
