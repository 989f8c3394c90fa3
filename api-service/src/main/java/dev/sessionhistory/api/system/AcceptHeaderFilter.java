package dev.sessionhistory.api.system;

import java.io.IOException;
import java.util.Collections;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a malformed {@code Accept} header up front, with a 400 problem from the error page.
 * Kept because Spring MVC parses the header only when it negotiates a response: the handler
 * runs first (a request for an unknown session answers 404), and then the problem cannot be
 * negotiated either, so it goes out without a body.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AcceptHeaderFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			MediaType.parseMediaTypes(Collections.list(request.getHeaders(HttpHeaders.ACCEPT)));
		}
		catch (InvalidMediaTypeException ex) {
			response.sendError(HttpServletResponse.SC_BAD_REQUEST, "The Accept header is malformed: " + ex.getMessage());
			return;
		}
		chain.doFilter(request, response);
	}

}
