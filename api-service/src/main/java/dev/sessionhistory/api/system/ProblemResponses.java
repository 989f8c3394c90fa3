package dev.sessionhistory.api.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.sessionhistory.model.MessageJson;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;

/**
 * Problems written without Spring MVC's content negotiation, for the places that answer
 * before or after it: Tomcat's error report, the error page, a malformed {@code Accept}.
 */
final class ProblemResponses {

	static final String CONTENT_TYPE = "application/problem+json";

	private ProblemResponses() {
	}

	static String json(int status, String detail) {
		HttpStatus known = HttpStatus.resolve(status);
		StringBuilder json = new StringBuilder(128).append("{\"type\":\"about:blank\",\"title\":");
		MessageJson.quote(json, (known != null) ? known.getReasonPhrase() : "Error");
		json.append(",\"status\":").append(status).append(",\"detail\":");
		MessageJson.quote(json, detail);
		return json.append('}').toString();
	}

	static void write(HttpServletResponse response, int status, String detail) throws IOException {
		byte[] body = json(status, detail).getBytes(StandardCharsets.UTF_8);
		response.setStatus(status);
		response.setContentType(CONTENT_TYPE);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/** A detail for a status the application did not explain itself. */
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
