package dev.sessionhistory.api.session;

import java.util.List;

/**
 * {@code POST /sessions/{code}/tokens}: the rights of the narrower token, among
 * {@code read}, {@code append} and {@code end}.
 *
 * @param rights the rights, at least one
 */
record TokenRequest(List<String> rights) {
}
