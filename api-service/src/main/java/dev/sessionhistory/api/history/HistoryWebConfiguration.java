package dev.sessionhistory.api.history;

import dev.sessionhistory.api.system.SelfTimedEndpoint;
import io.micrometer.observation.ObservationPredicate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class HistoryWebConfiguration implements WebMvcConfigurer {

	@Override
	public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
		builder.addCustomConverter(new HistoryPageConverter());
	}

	/** History reads are timed by {@code history.reads}, by source. */
	@Bean
	ObservationPredicate historyReadsUnobserved() {
		return SelfTimedEndpoint.unobserved((request) -> "GET".equals(request.getMethod())
				&& request.getRequestURI().startsWith("/sessions/") && request.getRequestURI().endsWith("/history"));
	}

}
