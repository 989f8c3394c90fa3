package dev.sessionhistory.api.system;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;

/**
 * Tomcat's answer to requests it rejects before any servlet runs (a malformed request line,
 * URI, header or percent-escape, too many parameters…): a problem instead of an HTML page.
 * Kept because neither Spring Boot's error page (a servlet dispatch) nor Spring MVC reaches
 * these requests, and Tomcat's own {@code JsonErrorReportValve} writes no problem. Written
 * with Spring's problem mapping, so it reads like every other error. Errors the application
 * answered already are left alone. Public because Tomcat creates it by class name.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	private static final JsonMapper json = JsonMapper.builder()
		.addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
		.build();

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status),
				ProblemErrorController.genericDetail(status));
		problem.setInstance(instance(request.getRequestURI()));
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(json.writeValueAsString(problem));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException | JacksonException ex) {
			// the client is gone or the response already started: nothing more to say
		}
	}

	/** The target as sent, unless it is what was malformed. */
	private static URI instance(String target) {
		try {
			return (target != null && !target.isEmpty()) ? new URI(target) : null;
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

}
