package dev.sessionhistory.api.ratelimit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;

import dev.sessionhistory.model.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts each request to {@code /sessions/**} and {@code /me/**} against its caller's
 * budget ({@link Budget}) and answers {@code 429} with {@code Retry-After} when it is used
 * up; the problem itself comes from the error page, like every error raised outside Spring
 * MVC. A 404, and a 409 to a create (a chosen code that is taken), is counted against the
 * much smaller not-found budget after the fact, and while that one is used up every request
 * of the caller to {@code /sessions/**} is refused, so guessing codes is slow on every path.
 * Everything else (actuator, the API docs, the error page) is never limited.
 * <p>
 * A servlet filter rather than a {@code HandlerInterceptor}: it sees the status of every
 * answer, also a 404 for a path no handler maps and the problems the exception handler
 * writes, and refuses a request before Spring MVC spends anything on it. It runs after
 * Spring Security's filter chain, so the caller is the authenticated user when there is
 * one ({@link HttpServletRequest#getUserPrincipal()}), else the client address (as
 * {@code server.forward-headers-strategy} makes it, never parsed from headers here).
 */
final class RateLimitFilter extends OncePerRequestFilter {

	private final CallerBuckets buckets;

	private final Map<Budget, Counter> rejected = new EnumMap<>(Budget.class);

	RateLimitFilter(CallerBuckets buckets, MeterRegistry registry) {
		this.buckets = buckets;
		for (Budget budget : Budget.values()) {
			this.rejected.put(budget, Counter.builder("history.rate-limit.rejected")
				.description("Requests refused with 429 because the caller's budget was used up")
				.tag("budget", budget.tag())
				.register(registry));
		}
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
		boolean sessions = isUnder(path, "/sessions");
		if (!sessions && !isUnder(path, "/me")) {
			chain.doFilter(request, response);
			return;
		}
		String caller = caller(request);
		Budget budget = budgetOf(request.getMethod(), path);
		if (sessions && refused(response, caller, Budget.NOT_FOUND, this.buckets.waitIfEmpty(caller, Budget.NOT_FOUND))) {
			return;
		}
		if (budget != null && refused(response, caller, budget, this.buckets.take(caller, budget))) {
			return;
		}
		chain.doFilter(request, response);
		int status = response.getStatus();
		if (status == HttpServletResponse.SC_NOT_FOUND
				|| (status == HttpServletResponse.SC_CONFLICT && budget == Budget.CREATE)) {
			this.buckets.take(caller, Budget.NOT_FOUND);
		}
	}

	/** Which budget a request counts against, if any but the not-found one. */
	static Budget budgetOf(String method, String path) {
		return switch (method) {
			case "GET", "HEAD" -> Budget.READ;
			case "POST" -> {
				if (path.equals("/sessions")) {
					yield Budget.CREATE;
				}
				int slash = path.indexOf('/', "/sessions/".length());
				yield (path.startsWith("/sessions/") && slash > "/sessions/".length()
						&& path.substring(slash).equals("/messages")) ? Budget.APPEND : null;
			}
			default -> null;
		};
	}

	/**
	 * The user's name, else the client's address, each with its kind; a name that cannot
	 * stand in a key as it is (too long, or characters outside the key's alphabet) by its
	 * SHA-256.
	 */
	static String caller(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		String caller = (principal != null && principal.getName() != null) ? "user:" + principal.getName()
				: "addr:" + request.getRemoteAddr();
		return RedisKeys.RATE_LIMIT_CALLER.matcher(caller).matches() ? caller : "sha256:" + sha256(caller);
	}

	private boolean refused(HttpServletResponse response, String caller, Budget budget, long waitNanos)
			throws IOException {
		if (waitNanos <= 0) {
			return false;
		}
		this.rejected.get(budget).increment();
		long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		String what = (budget == Budget.NOT_FOUND) ? "answers 404 (or 409 to a create)" : budget.tag() + " requests";
		response.sendError(429, "Too many " + what + " from this caller (" + budget.setting() + "); retry in "
				+ seconds + " s");
		return true;
	}

	private static boolean isUnder(String path, String root) {
		return path.startsWith(root) && (path.length() == root.length() || path.charAt(root.length()) == '/');
	}

	private static String sha256(String value) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
