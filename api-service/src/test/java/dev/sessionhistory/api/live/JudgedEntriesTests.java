package dev.sessionhistory.api.live;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Remembered judgements hold for the bytes they were made on, and only for those.
 */
class JudgedEntriesTests {

	private static final UUID SESSION = UUID.fromString("0b1c2d3e-0000-4000-8000-000000000001");

	private final JudgedEntries judged = new JudgedEntries(1024 * 1024);

	@Test
	void anEntryRewrittenInPlaceIsJudgedAgain() {
		byte[] valid = utf8("{\"seq\":1,\"id\":\"m1\",\"data\":{\"text\":\"hello there\"}}");
		assertThat(isStorable("ABC234", SESSION, 0, valid)).isTrue();
		assertThat(isStorable("ABC234", SESSION, 0, valid)).isTrue();
		// Same length, one byte changed so that it is no JSON object any more.
		byte[] rewritten = valid.clone();
		rewritten[rewritten.length - 1] = ']';
		assertThat(isStorable("ABC234", SESSION, 0, rewritten)).isFalse();
		assertThat(isStorable("ABC234", SESSION, 0, utf8("not json"))).isFalse();
		assertThat(isStorable("ABC234", SESSION, 0, valid)).isTrue();
	}

	@Test
	void junkIsNeverRemembered() {
		byte[] junk = utf8("{\"a\":1");
		for (int i = 0; i < 3; i++) {
			assertThat(isStorable("ABC234", SESSION, 5, junk)).isFalse();
		}
	}

	@Test
	void positionsAndInstancesAreApart() {
		byte[] valid = utf8("{\"seq\":2}");
		assertThat(isStorable("ABC234", SESSION, 1, valid)).isTrue();
		UUID other = UUID.fromString("0b1c2d3e-0000-4000-8000-000000000002");
		assertThat(isStorable("ABC234", other, 1, utf8("{\"seq\":2"))).isFalse();
		assertThat(isStorable("XYZ789", SESSION, 1, utf8("{\"seq\":2"))).isFalse();
		assertThat(isStorable("ABC234", SESSION, JudgedEntries.BLOCK + 1, utf8("[1]"))).isFalse();
		assertThat(isStorable("ABC234", SESSION, 1, valid)).isTrue();
	}

	@Test
	void aPageAcrossTwoBlocksIsJudgedEntryByEntry() {
		long first = JudgedEntries.BLOCK - 2;
		List<byte[]> page = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			page.add(utf8("{\"seq\":" + (first + i + 1) + "}"));
		}
		page.set(2, utf8("{\"seq\":" + (first + 3) + ",}"));
		assertThat(this.judged.judge("ABC234", SESSION, first, page)).containsExactly(true, true, false, true, true);
		assertThat(this.judged.judge("ABC234", SESSION, first, page)).containsExactly(true, true, false, true, true);
		page.set(3, utf8("[" + (first + 4) + "]"));
		page.set(2, utf8("{\"seq\":" + (first + 3) + "}"));
		assertThat(this.judged.judge("ABC234", SESSION, first, page)).containsExactly(true, true, true, false, true);
		assertThat(this.judged.judge("ABC234", SESSION, first + 3, page.subList(3, 5))).containsExactly(false, true);
	}

	@Test
	void fingerprintsTellEveryOneByteChangeApart() {
		byte[] entry = utf8("{\"seq\":42,\"id\":\"m42\",\"sender\":\"user-3\",\"type\":\"chat\",\"data\":{\"text\":\"xyz\"}}");
		Set<Long> prints = new HashSet<>();
		prints.add(this.judged.fingerprint(entry));
		for (int i = 0; i < entry.length; i++) {
			for (int delta : new int[] { 1, 0x20, 0x80 }) {
				byte[] changed = entry.clone();
				changed[i] ^= (byte) delta;
				prints.add(this.judged.fingerprint(changed));
			}
		}
		// A prefix and a longer entry too: the length is part of the fingerprint.
		prints.add(this.judged.fingerprint(java.util.Arrays.copyOf(entry, entry.length - 1)));
		prints.add(this.judged.fingerprint(java.util.Arrays.copyOf(entry, entry.length + 1)));
		assertThat(prints).hasSize(1 + entry.length * 3 + 2).doesNotContain(0L);
		assertThat(this.judged.fingerprint(entry.clone())).isEqualTo(this.judged.fingerprint(entry));
	}

	@Test
	void theSeedDiffersPerInstance() {
		byte[] entry = utf8("{\"seq\":1}");
		assertThat(new JudgedEntries(1024).fingerprint(entry)).isNotEqualTo(this.judged.fingerprint(entry));
	}

	private boolean isStorable(String code, UUID sessionId, long index, byte[] entry) {
		return this.judged.judge(code, sessionId, index, List.of(entry))[0];
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
