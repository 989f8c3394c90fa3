package dev.sessionhistory.api.message;

import dev.sessionhistory.api.system.SelfTimedEndpoint;
import io.micrometer.observation.ObservationPredicate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class MessageWebConfiguration {

	/** Appends are timed by {@code history.appends}, by outcome. */
	@Bean
	ObservationPredicate appendsUnobserved() {
		return SelfTimedEndpoint.unobserved((request) -> "POST".equals(request.getMethod())
				&& request.getRequestURI().startsWith("/sessions/") && request.getRequestURI().endsWith("/messages"));
	}

}
