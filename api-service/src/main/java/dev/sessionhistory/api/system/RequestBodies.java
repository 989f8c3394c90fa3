package dev.sessionhistory.api.system;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Reads request bodies with a size limit, before any parsing: an oversized body is
 * refused after reading at most one byte more than the limit.
 */
public final class RequestBodies {

	private RequestBodies() {
	}

	/**
	 * @return the body, empty when there is none
	 * @throws PayloadTooLargeException when the body is larger than {@code limit}
	 */
	public static byte[] read(HttpServletRequest request, int limit) {
		if (request.getContentLengthLong() > limit) {
			throw new PayloadTooLargeException(limit);
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes(limit + 1);
			if (body.length > limit) {
				throw new PayloadTooLargeException(limit);
			}
			return body;
		}
		catch (IOException ex) {
			throw new InvalidRequestException("The request body could not be read: " + ex.getMessage());
		}
	}

	/**
	 * @throws UnsupportedMediaTypeException unless the request says its body is JSON
	 * ({@code application/json} or a {@code +json} type)
	 */
	public static void requireJson(HttpServletRequest request) {
		String contentType = request.getContentType();
		try {
			if (contentType != null) {
				MediaType type = MediaType.parseMediaType(contentType);
				boolean json = MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)
						|| ("application".equals(type.getType()) && "json".equals(type.getSubtypeSuffix()));
				if (json) {
					return;
				}
			}
		}
		catch (InvalidMediaTypeException ex) {
			// reported as unsupported below
		}
		throw new UnsupportedMediaTypeException(contentType);
	}

}
