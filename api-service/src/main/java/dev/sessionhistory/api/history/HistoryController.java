package dev.sessionhistory.api.history;

import java.util.concurrent.TimeUnit;

import dev.sessionhistory.api.live.SessionCodes;
import dev.sessionhistory.api.live.SessionIds;
import dev.sessionhistory.api.system.SelfTimedEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "History")
class HistoryController {

	/**
	 * An archive asked for by its id is private to who may read it and may still change (an
	 * erasure): caches keep it a minute at most, then revalidate by {@code ETag}.
	 */
	static final String ARCHIVED = "private, max-age=60";

	/** The latest archive of a code changes with each newer one: revalidated every time. */
	static final String LATEST_ARCHIVED = "private, no-cache";

	private final HistoryReader reader;

	private final Timer liveReads;

	private final Timer archiveReads;

	private final MeterRegistry registry;

	HistoryController(HistoryReader reader, MeterRegistry registry) {
		this.reader = reader;
		this.registry = registry;
		this.liveReads = readTimer(registry, HistoryPage.LIVE);
		this.archiveReads = readTimer(registry, HistoryPage.ARCHIVE);
	}

	/**
	 * Conditional requests ({@code If-None-Match}) are answered by Spring MVC from the
	 * {@code ETag} before the page is written.
	 */
	@GetMapping(path = "/sessions/{code}/history", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "One page of a history, live from Redis or archived from PostgreSQL, paged by seq",
			responses = @ApiResponse(responseCode = "200",
					content = @Content(schema = @Schema(implementation = HistoryDocument.class))))
	ResponseEntity<HistoryPage> history(@PathVariable String code,
			@Parameter(description = "Page size, 1 to 1000; a page holds fewer, with hasMore, "
					+ "where more would pass history.page.max-bytes",
					schema = @Schema(type = "integer", defaultValue = "100"))
			@RequestParam(required = false) String limit,
			@Parameter(description = "The messages just before this seq", schema = @Schema(type = "integer"))
			@RequestParam(required = false) String before,
			@Parameter(description = "The messages just after this seq", schema = @Schema(type = "integer"))
			@RequestParam(required = false) String after,
			@Parameter(description = "One instance of the code, live or archived", schema = @Schema(format = "uuid"))
			@RequestParam(required = false) String sessionId) {
		long started = System.nanoTime();
		HistoryReader.Result result;
		try {
			SessionCodes.requireValid(code);
			result = this.reader.read(code, SessionIds.parse(sessionId), HistoryQuery.of(limit, before, after));
		}
		catch (RuntimeException ex) {
			SelfTimedEndpoint.failed(this.registry, "history.reads", ex);
			throw ex;
		}
		HistoryPage page = result.page();
		(HistoryPage.LIVE.equals(page.source()) ? this.liveReads : this.archiveReads)
			.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		if (result.eTag() == null) {
			return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(page);
		}
		return ResponseEntity.ok()
			.eTag(result.eTag())
			.header(HttpHeaders.CACHE_CONTROL, result.explicit() ? ARCHIVED : LATEST_ARCHIVED)
			.body(page);
	}

	private static Timer readTimer(MeterRegistry registry, String source) {
		return Timer.builder("history.reads")
			.description("Time to find and assemble one history page, by where it came from")
			.tag("source", source)
			.register(registry);
	}

}
