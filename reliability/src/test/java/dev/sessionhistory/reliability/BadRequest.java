package dev.sessionhistory.reliability;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One generated request of the bad-input run.
 *
 * @param kind what the generator meant to break, for the report
 * @param method the HTTP method
 * @param target the request target, path and query, already encoded (or deliberately not)
 * @param headers headers besides Host, Connection and Content-Length
 * @param body the body bytes
 * @param shortBy how many body bytes are withheld on the wire (the client then closes)
 * @param mustReject whether the contract says this input is invalid (so a 2xx is a defect)
 */
record BadRequest(String kind, String method, String target, Map<String, String> headers, byte[] body, int shortBy,
		boolean mustReject) {

	static BadRequest of(String kind, String method, String target, String contentType, byte[] body,
			boolean mustReject) {
		Map<String, String> headers = new LinkedHashMap<>();
		if (contentType != null) {
			headers.put("Content-Type", contentType);
		}
		return new BadRequest(kind, method, target, headers, body, 0, mustReject);
	}

	static BadRequest of(String kind, String method, String target, String contentType, String body,
			boolean mustReject) {
		return of(kind, method, target, contentType, body.getBytes(StandardCharsets.UTF_8), mustReject);
	}

	BadRequest withHeader(String name, String value) {
		Map<String, String> copy = new LinkedHashMap<>(this.headers);
		copy.put(name, value);
		return new BadRequest(this.kind, this.method, this.target, copy, this.body, this.shortBy, this.mustReject);
	}

	BadRequest cutShortBy(int bytes) {
		return new BadRequest(this.kind + "+cut-on-the-wire", this.method, this.target, this.headers, this.body,
				Math.min(bytes, this.body.length), true);
	}

	/** The code in a {@code /sessions/{code}…} target, as sent. */
	String pathCode() {
		String[] parts = this.target.split("[/?]");
		return (parts.length > 2 && parts[1].equals("sessions")) ? parts[2] : "";
	}

	boolean isAppend() {
		return this.method.equals("POST") && this.target.matches("/sessions/[^/?]+/messages");
	}

	boolean isCreate() {
		return this.method.equals("POST") && this.target.equals("/sessions");
	}

	@Override
	public String toString() {
		String text = new String(this.body, StandardCharsets.UTF_8);
		return this.kind + ": " + this.method + " " + JsonArrays.abbreviate(this.target) + " " + this.headers + " body("
				+ this.body.length + " bytes" + ((this.shortBy > 0) ? ", " + this.shortBy + " withheld" : "") + ") "
				+ JsonArrays.abbreviate(text);
	}

}
