package dev.sessionhistory.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.sessionhistory.testsupport.Isolation;
import dev.sessionhistory.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipelined page reads against a real Redis: every page is the one {@code read.lua}
 * gives with its messages, whichever way it was read.
 */
class PageReadsIntegrationTests {

	private static final String PREFIX = "tpages" + UUID.randomUUID().toString().substring(0, 8);

	private static final int MESSAGES = 40;

	private static LettuceConnectionFactory factory;

	private static StringRedisTemplate redis;

	private final RedisKeys keys = RedisKeys.withPrefix(PREFIX);

	@BeforeAll
	static void connect() {
		factory = new LettuceConnectionFactory(
				TestServers.get().redisConfiguration());
		factory.afterPropertiesSet();
		factory.start();
		redis = new StringRedisTemplate(factory);
	}

	@AfterAll
	static void cleanUp() {
		TestServers.get().deleteKeys(PREFIX);
		factory.destroy();
	}

	@Test
	void everyPageIsTheScriptsPageByCountAndByBytes() {
		UUID sid = session("P1", MESSAGES);
		assertEveryPageIsTheScripts("P1", sid);
		run(SessionScripts.end(this.keys, "P1", sid, System.currentTimeMillis()));
		assertEveryPageIsTheScripts("P1", sid);
	}

	@Test
	void pagesOfTheLiveInstanceAreReadWithoutTheScript() {
		UUID sid = session("P6", 12);
		PageReads pages = new PageReads(factory, this.keys, 1 << 20, 1);
		for (String mode : List.of("latest", "after", "before")) {
			for (long cursor = 0; cursor <= 12; cursor++) {
				assertThat(pages.read("P6", sid, mode, cursor, 5)).isInstanceOf(ReadReply.Page.class);
				assertThat(pages.readCurrent("P6", sid, mode, cursor, 5)).isInstanceOf(ReadReply.Page.class);
			}
		}
		assertThat(pages.scriptedReads()).isZero();
		run(SessionScripts.end(this.keys, "P6", sid, System.currentTimeMillis()));
		assertThat(pages.readCurrent("P6", sid, "latest", 0, 5)).isInstanceOf(ReadReply.Page.class);
		assertThat(pages.scriptedReads()).as("the current instance of a code without a live one").isOne();
	}

	@Test
	void anInstanceWhoseLiveKeyExpiredIsReadAsTheScriptReadsIt() {
		UUID sid = session("P5", 5);
		redis.delete(this.keys.live("P5"));
		assertEveryPageIsTheScripts("P5", sid);
	}

	private void assertEveryPageIsTheScripts(String code, UUID sid) {
		for (long maxBytes : new long[] { 1 << 20, 300, 1 }) {
			PageReads pages = new PageReads(factory, this.keys, maxBytes, 1);
			for (String mode : List.of("latest", "after", "before")) {
				for (long cursor = 0; cursor <= MESSAGES + 3; cursor++) {
					for (int limit : new int[] { 1, 3, 7, MESSAGES, MESSAGES + 5 }) {
						String what = mode + " " + cursor + " limit " + limit + " max " + maxBytes;
						ReadReply expected = SessionScripts.read(this.keys, code, sid, mode, cursor, limit, maxBytes)
							.run(redis);
						assertSame(pages.read(code, sid, mode, cursor, limit), expected, what);
						assertSame(pages.readCurrent(code, sid, mode, cursor, limit),
								SessionScripts.readCurrent(this.keys, code, sid, mode, cursor, limit, maxBytes)
									.run(redis),
								what);
					}
				}
			}
		}
	}

	@Test
	void pagesBeyondTheBoundOfAPipelinedReadComeFromTheScript() {
		UUID sid = session("P2", 10);
		// Entries of up to 1000 bytes and a cap of 2000: only pages of at most 4 are pipelined.
		PageReads pages = new PageReads(factory, this.keys, 2000, 1000);
		PageReads cutByBytes = new PageReads(factory, this.keys, 400, 1000);
		for (int limit : new int[] { 3, 4, 5, 10 }) {
			assertSame(pages.read("P2", sid, "latest", 0, limit),
					SessionScripts.read(this.keys, "P2", sid, "latest", 0, limit, 2000).run(redis), "limit " + limit);
			// read forward in calls of a quarter of the bytes each, and still the one call's page
			for (long cursor = 0; cursor <= 11; cursor++) {
				assertSame(pages.read("P2", sid, "after", cursor, limit),
						SessionScripts.read(this.keys, "P2", sid, "after", cursor, limit, 2000).run(redis),
						"after " + cursor + " limit " + limit);
				// and cut by bytes where the one call cuts (400 bytes hold 3 to 6 of these)
				assertSame(cutByBytes.read("P2", sid, "after", cursor, limit),
						SessionScripts.read(this.keys, "P2", sid, "after", cursor, limit, 400).run(redis),
						"after " + cursor + " limit " + limit + " max 400");
			}
		}
	}

	@Test
	void anInstanceThatIsNotCurrentOrUnknownGetsTheScriptsAnswer() {
		UUID old = session("P3", 3);
		run(SessionScripts.end(this.keys, "P3", old, System.currentTimeMillis()));
		run(SessionScripts.purge(this.keys, new RedisKeys.SessionRef("P3", old)));
		UUID current = session("P3", 2);
		PageReads pages = new PageReads(factory, this.keys, 1 << 20, 1);
		assertThat(pages.readCurrent("P3", old, "latest", 0, 10)).isEqualTo(new ReadReply.Current(current));
		assertThat(pages.read("P3", old, "latest", 0, 10)).isEqualTo(new ReadReply.None());
		assertThat(pages.readCurrent("P3", null, "latest", 0, 10)).isEqualTo(new ReadReply.Current(current));
		assertThat(pages.readCurrent("P4", null, "latest", 0, 10)).isEqualTo(new ReadReply.None());
	}

	/** An instance of {@code count} messages of growing sizes (seq 1 is the smallest). */
	private UUID session(String code, int count) {
		UUID sid = UUID.randomUUID();
		run(SessionScripts.create(this.keys, code, sid, System.currentTimeMillis(), 60_000, "", 3600, null));
		for (int i = 1; i <= count; i++) {
			String id = "m" + i;
			String body = "{\"id\":\"" + id + "\",\"data\":\"" + "x".repeat(i * 7) + "\"}";
			AppendReply reply = run(SessionScripts.append(this.keys, code, sid, id, body, System.currentTimeMillis(),
					1000, 3600, 1L << 40, null, 1000));
			assertThat(reply.outcome()).isEqualTo(AppendReply.Outcome.CREATED);
		}
		return sid;
	}

	private static void assertSame(ReadReply actual, ReadReply expected, String what) {
		if (expected instanceof ReadReply.Page page) {
			assertThat(actual).as(what).isInstanceOf(ReadReply.Page.class);
			ReadReply.Page read = (ReadReply.Page) actual;
			assertThat(List.of(read.live(), read.total(), read.hasMore(), read.firstSeq(), read.meta()))
				.as(what)
				.isEqualTo(List.of(page.live(), page.total(), page.hasMore(), page.firstSeq(), page.meta()));
			assertThat(texts(read.messages())).as(what).isEqualTo(texts(page.messages()));
		}
		else {
			assertThat(actual).as(what).isEqualTo(expected);
		}
	}

	private static List<String> texts(List<byte[]> messages) {
		List<String> texts = new ArrayList<>();
		for (byte[] message : messages) {
			texts.add(new String(message, StandardCharsets.UTF_8));
		}
		return texts;
	}

	private static <R> R run(SessionScripts.Call<R> call) {
		return call.run(redis);
	}

}
