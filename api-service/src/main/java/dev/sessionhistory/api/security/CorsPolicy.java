package dev.sessionhistory.api.security;

import java.time.Duration;
import java.util.List;

import dev.sessionhistory.api.system.HistoryProperties;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Which pages of other origins may call the API from a browser ({@code history.cors.*}),
 * applied by Spring Security's {@code cors()} before any token is looked at, so that a
 * preflight needs none. Cross-origin callers may send the headers the API reads and read
 * the headers it answers with; no cookie is involved (credentials are not allowed), as every
 * token travels in {@code Authorization}.
 */
final class CorsPolicy {

	/** How long a browser may keep a preflight's answer. */
	static final Duration PREFLIGHT_MAX_AGE = Duration.ofHours(1);

	/** The headers a client sends: its token, a JSON body and a revalidation of an archived page. */
	static final List<String> REQUEST_HEADERS = List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE,
			HttpHeaders.IF_NONE_MATCH);

	/**
	 * The headers a client needs to read: the next page, an archived page's validator, when
	 * to retry, why a token was refused, a created session, and the instance an append went to.
	 */
	static final List<String> RESPONSE_HEADERS = List.of(HttpHeaders.LINK, HttpHeaders.ETAG, HttpHeaders.RETRY_AFTER,
			HttpHeaders.WWW_AUTHENTICATE, HttpHeaders.LOCATION, "Session-Id");

	private CorsPolicy() {
	}

	/** Whether any origin is allowed: without one the API sends no CORS header at all. */
	static boolean isEnabled(HistoryProperties.Cors settings) {
		return !settings.allowedOrigins().isEmpty();
	}

	static CorsConfigurationSource source(HistoryProperties.Cors settings) {
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOrigins(settings.allowedOrigins());
		cors.setAllowedMethods(List.of(HttpMethod.GET.name(), HttpMethod.HEAD.name(), HttpMethod.POST.name(),
				HttpMethod.DELETE.name()));
		cors.setAllowedHeaders(REQUEST_HEADERS);
		cors.setExposedHeaders(RESPONSE_HEADERS);
		cors.setAllowCredentials(false);
		cors.setMaxAge(PREFLIGHT_MAX_AGE);
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/**", cors);
		return source;
	}

}
