package dev.sessionhistory.api.system;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The error page ({@code /error}) as a problem: errors raised outside Spring MVC's handlers,
 * such as a request body that ends before its declared length, reach clients in the same
 * shape as every other error. Replaces Spring Boot's error controller. The body is written
 * directly, whatever the request's {@code Accept}.
 */
@Controller
class ProblemErrorController implements ErrorController {

	@RequestMapping("${server.error.path:/error}")
	void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		int status = (code instanceof Integer value && value >= 400) ? value : 500;
		if (!response.isCommitted()) {
			response.resetBuffer();
			ProblemResponses.write(response, status, ProblemResponses.genericDetail(status));
		}
	}

}
