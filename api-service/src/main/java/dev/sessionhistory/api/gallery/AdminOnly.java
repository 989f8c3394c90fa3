package dev.sessionhistory.api.gallery;

import dev.sessionhistory.api.security.Caller;
import dev.sessionhistory.api.security.SessionAccess;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Lets admins through to the gallery's endpoints (everybody in open mode); to everybody
 * else they are paths that do not exist.
 */
@Component
class AdminOnly {

	private final SessionAccess access;

	AdminOnly(SessionAccess access) {
		this.access = access;
	}

	/**
	 * @return the calling admin's user id, {@code null} for a caller without one (open mode)
	 * @throws NoResourceFoundException the answer of a path that does not exist, for
	 * everybody but admins
	 */
	@Nullable String require(HttpServletRequest request) throws NoResourceFoundException {
		Caller caller = Caller.current();
		if (!this.access.open() && !caller.admin()) {
			String path = request.getRequestURI();
			throw new NoResourceFoundException(HttpMethod.valueOf(request.getMethod()), path, path.substring(1));
		}
		return caller.userId();
	}

}
