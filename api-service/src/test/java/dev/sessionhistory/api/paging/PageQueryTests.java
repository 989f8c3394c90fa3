package dev.sessionhistory.api.paging;

import java.time.Instant;
import java.util.List;

import dev.sessionhistory.api.system.InvalidRequestException;
import org.junit.jupiter.api.Test;

import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PageQueryTests {

	private static final String LIST = "/sessions/K7P2QX/archives";

	@Test
	void withoutParametersItIsTheFirstPageOfTheDefaultSize() {
		PageQuery query = PageQuery.of(LIST, null, null);
		assertThat(query.limit()).isEqualTo(100);
		assertThat(query.after()).isNull();
		assertThat(query.fetchSize()).isEqualTo(101);
	}

	@Test
	void itTakesALimitFromOneTo1000AndACursorOfItsList() {
		Cursor cursor = new Cursor(Instant.parse("2026-11-24T07:13:53.619123Z"), 42);
		PageQuery query = PageQuery.of(LIST, "1000", cursor.encode(LIST));
		assertThat(query.limit()).isEqualTo(1000);
		assertThat(query.after()).isEqualTo(cursor);
		assertThat(PageQuery.of(LIST, "1", null).limit()).isEqualTo(1);
	}

	@Test
	void anyOtherLimitIsRefusedNamingTheParameter() {
		for (String limit : new String[] { "", "0", "-1", "1001", "+5", " 5", "5 ", "1.5", "1e2", "0x10", "abc", "3,4",
				"99999999999999999999", "2147483648", "\u0665" }) {
			InvalidRequestException ex = catchThrowableOfType(InvalidRequestException.class,
					() -> PageQuery.of(LIST, limit, null));
			assertThat(ex).as(limit).isNotNull();
			assertThat(ex.getBody().getDetail()).as(limit)
				.startsWith("'limit' must be an integer from 1 to 1000 but was '");
		}
	}

	@Test
	void rowsBeyondTheLimitMakeANextPageEndingAtTheLastItem() {
		PageQuery query = PageQuery.of(LIST, "2", null);
		Page<Integer> page = query.page(List.of(5, 4, 3), PageQueryTests::position);
		assertThat(page.items()).containsExactly(5, 4);
		assertThat(page.next()).isEqualTo(position(4));
		assertThat(page.hasNext()).isTrue();

		Page<Integer> last = query.page(List.of(2, 1), PageQueryTests::position);
		assertThat(last.items()).containsExactly(2, 1);
		assertThat(last.hasNext()).isFalse();
		assertThat(query.page(List.<Integer>of(), PageQueryTests::position).items()).isEmpty();
	}

	@Test
	void theNextPageIsLinkedWithItsLimitAndCursorAndOtherParametersKept() {
		PageQuery query = PageQuery.of(LIST, "2", null);
		Page<String> page = query.page(List.of(5, 4, 3), PageQueryTests::position).map(String::valueOf);
		String cursor = position(4).encode(LIST);
		assertThat(page.nextUri(LIST)).isEqualTo(LIST + "?limit=2&cursor=" + cursor);
		assertThat(page.nextUri("/admin/sessions?status=ended%20late&limit=7&cursor=old"))
			.isEqualTo("/admin/sessions?status=ended%20late&limit=2&cursor=" + cursor);
		ResponseEntity<List<String>> response = page.toResponse(LIST);
		assertThat(response.getStatusCode().value()).isEqualTo(200);
		assertThat(response.getBody()).containsExactly("5", "4");
		assertThat(response.getHeaders().get("Link"))
			.containsExactly("<" + LIST + "?limit=2&cursor=" + cursor + ">; rel=\"next\"");
	}

	@Test
	void theLastPageHasNoLink() {
		Page<Integer> last = PageQuery.of(LIST, "2", null).page(List.of(2, 1), PageQueryTests::position);
		assertThat(last.nextUri(LIST)).isNull();
		assertThat(last.toResponse(LIST).getHeaders().containsHeader("Link")).isFalse();
	}

	private static Cursor position(int row) {
		return new Cursor(Instant.EPOCH.plusSeconds(row), row);
	}

}
