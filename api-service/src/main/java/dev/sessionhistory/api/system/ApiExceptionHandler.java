package dev.sessionhistory.api.system;

import java.util.List;

import dev.sessionhistory.model.InvalidSessionDataException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.util.http.InvalidParameterException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps every error to an RFC 9457 problem. Extending {@link ResponseEntityExceptionHandler}
 * covers Spring MVC's own exceptions (unreadable body, wrong method, unknown path…) and the
 * API's own, which carry their status and detail ({@link org.springframework.web.ErrorResponse}),
 * and replaces Spring Boot's default problem handler, so this is the only one. What is left
 * here translates failures of the infrastructure: Tomcat, Redis and PostgreSQL.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Log log = LogFactory.getLog(ApiExceptionHandler.class);

	/** Error replies of a Redis that is loading, busy, failing over or full. */
	/** MOVED and ASK only reach the API on a node connection (appends that wait for replicas). */
	private static final List<String> TRANSIENT_REPLIES = List.of("LOADING", "BUSY", "READONLY", "MASTERDOWN",
			"TRYAGAIN", "CLUSTERDOWN", "OOM", "NOREPLICAS", "MOVED", "ASK");

	private final String retryAfterSeconds;

	ApiExceptionHandler(HistoryProperties properties) {
		this.retryAfterSeconds = String.valueOf(Math.max(1, properties.retryAfter().toSeconds()));
	}

	/**
	 * A response already committed (a client that went away mid-body, Tomcat having
	 * answered already) cannot take a problem any more: nothing to log above debug, as
	 * the base class would for every such client.
	 */
	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		if (request instanceof ServletWebRequest servlet && servlet.getResponse() != null
				&& servlet.getResponse().isCommitted()) {
			log.debug("Response already committed; not answering " + ex);
			return null;
		}
		return super.handleExceptionInternal(ex, body, headers, statusCode, request);
	}

	/** Tomcat parses query parameters lazily and refuses undecodable ones only then. */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> malformedParameter(InvalidParameterException ex) {
		HttpStatus status = HttpStatus.resolve(ex.getErrorCode());
		return problem((status != null && status.is4xxClientError()) ? status : HttpStatus.BAD_REQUEST,
				"A request parameter is malformed (bad percent-encoding, too many parameters…)");
	}

	/**
	 * Redis or PostgreSQL unreachable, or too slow to answer (a lock held too long, such as an
	 * erasure's waiting for a large archive's insert): worth a retry.
	 */
	@ExceptionHandler({ DataAccessResourceFailureException.class, QueryTimeoutException.class,
			TransientDataAccessResourceException.class, PessimisticLockingFailureException.class })
	ResponseEntity<ProblemDetail> unavailable(Exception ex) {
		return serviceUnavailable(ex);
	}

	/**
	 * A command Lettuce rejected while disconnected arrives as a {@link RedisSystemException},
	 * and so do error replies of a server that is starting, failing over or out of memory:
	 * all worth a retry.
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> redisFailure(RedisSystemException ex) {
		Throwable cause = ex.getCause();
		if (cause instanceof RedisException && !(cause instanceof RedisCommandExecutionException)) {
			return serviceUnavailable(ex);
		}
		if (cause instanceof RedisCommandExecutionException) {
			if (isTransient(cause.getMessage())) {
				return serviceUnavailable(ex);
			}
			// The service's own commands are well-formed: an error reply means Redis or the
			// data in it is at odds with the layout.
			log.error("Redis answered with an error", ex);
			return problem(HttpStatus.BAD_GATEWAY, "The live session store (Redis) answered with an error");
		}
		return unexpected(ex);
	}

	/** The archive table does not exist yet: PostgreSQL was down when the API started. */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> badSql(BadSqlGrammarException ex) {
		if (ex.getSQLException() != null && "42P01".equals(ex.getSQLException().getSQLState())) {
			return serviceUnavailable(ex);
		}
		return unexpected(ex);
	}

	/** Session data in Redis that breaks the layout, written by a foreign writer. */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidSessionData(InvalidSessionDataException ex) {
		log.error("Malformed session data in Redis: " + ex.getMessage());
		return problem(HttpStatus.BAD_GATEWAY,
				"The session's data in Redis does not follow the key layout; it was probably written by another program");
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		log.error("Unexpected error", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "The server failed to process the request");
	}

	private ResponseEntity<ProblemDetail> serviceUnavailable(Exception ex) {
		String server = fromRedis(ex) ? "The live session store (Redis)" : "The archive database (PostgreSQL)";
		log.warn(server + " is unavailable: " + ex.getMessage());
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				server + " is unreachable or too slow; retry later");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, this.retryAfterSeconds)
			.body(body);
	}

	private static boolean isTransient(String reply) {
		return reply != null && TRANSIENT_REPLIES.stream().anyMatch(reply::startsWith);
	}

	private static boolean fromRedis(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause.getClass().getName().startsWith("org.springframework.data.redis.")
					|| cause.getClass().getName().startsWith("io.lettuce.")) {
				return true;
			}
		}
		return false;
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
		return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
	}

}
