package dev.sessionhistory.api.paging;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * One page of a list, cut by a {@link PageQuery}. It goes out as the JSON array of its
 * items, with an RFC 8288 {@code Link: <…?limit=N&cursor=…>; rel="next"} header when a next
 * page exists; the last page (and an empty list) has none.
 *
 * @param items the rows of the page, in list order
 * @param next where the page ended, when more rows follow; {@code null} on the last page
 * @param query the query that cut it
 */
public record Page<T>(List<T> items, Cursor next, PageQuery query) {

	public boolean hasNext() {
		return this.next != null;
	}

	public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
		return new Page<>(this.items.stream().<R>map(mapper).toList(), this.next, this.query);
	}

	/**
	 * The URI of the next page, {@code null} on the last one.
	 * @param path the list's URI as sent, percent-encoded, without or with other query
	 * parameters (which the next page keeps)
	 */
	public String nextUri(String path) {
		if (this.next == null) {
			return null;
		}
		return UriComponentsBuilder.fromUriString(path)
			.replaceQueryParam(PageQuery.LIMIT, this.query.limit())
			.replaceQueryParam(Cursor.PARAMETER,
					UriUtils.encodeQueryParam(this.next.encode(this.query.list()), StandardCharsets.UTF_8))
			.build(true)
			.toUriString();
	}

	/**
	 * A 200 with the items and, unless this is the last page, the {@code Link} to the next.
	 * @param path as for {@link #nextUri}
	 */
	public ResponseEntity<List<T>> toResponse(String path) {
		ResponseEntity.BodyBuilder response = ResponseEntity.ok();
		if (this.next != null) {
			response.header(HttpHeaders.LINK, "<" + nextUri(path) + ">; rel=\"next\"");
		}
		return response.body(this.items);
	}

}
