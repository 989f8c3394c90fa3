package dev.sessionhistory.api.system;

import java.net.URI;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The error page ({@code /error}) as a problem, for errors raised outside Spring MVC's
 * handlers: a request body that ends before its declared length, a request a filter refuses
 * ({@link AcceptHeaderFilter}). Kept because Spring Boot's {@code BasicErrorController}
 * renders its own shape ({@code timestamp}, {@code error}, {@code path} as
 * {@code application/json} or HTML) and has no problem-details mode. Spring MVC writes the
 * problem; its content type is set rather than negotiated, because the failed request's
 * {@code Accept} may be why it failed.
 */
@Controller
class ProblemErrorController implements ErrorController {

	@RequestMapping("${server.error.path:${error.path:/error}}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		if (request.getDispatcherType() != DispatcherType.ERROR) {
			// requested by a client, not dispatched to by the container: not a resource
			return problem(HttpStatus.NOT_FOUND, genericDetail(404), request.getRequestURI());
		}
		HttpStatusCode status = HttpStatusCode
			.valueOf((Integer) request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE));
		// A 4xx reason given to sendError (by Tomcat or a filter) is meant for the client; a
		// server error's is not.
		String detail = (status.is4xxClientError()
				&& request.getAttribute(RequestDispatcher.ERROR_MESSAGE) instanceof String message && !message.isBlank())
						? message : genericDetail(status.value());
		return problem(status, detail, (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatusCode status, String detail, String path) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setInstance(URI.create(path));
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	/** A detail for a status whose cause is not the client's to read. */
	static String genericDetail(int status) {
		return switch (status) {
			case 400 -> "The request is malformed and was rejected by the server";
			case 404 -> "No such resource";
			case 405 -> "The method is not allowed on this resource";
			case 408 -> "The request took too long to arrive";
			case 413 -> "The request is too large";
			default -> (status < 500) ? "The request was rejected" : "The server could not process the request";
		};
	}

}
