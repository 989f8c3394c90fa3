package dev.sessionhistory.model;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TombstonesTests {

	@Test
	void aTombstoneKeepsItsSeqAndSaysErased() {
		assertThat(Tombstones.of(42)).isEqualTo("{\"seq\":42,\"erased\":true}");
		assertThat(StoredEntries.isStorableObject(Tombstones.of(42).getBytes(StandardCharsets.UTF_8))).isTrue();
	}

	@Test
	void aMessageIsTheUsersByItsUserIdMemberWhereverItIs() {
		assertThat(Tombstones.writtenBy("{\"seq\":1,\"userId\":\"alice\",\"id\":\"m\"}", "alice")).isTrue();
		assertThat(Tombstones.writtenBy("{\"seq\":1,\"id\":\"m\",\"userId\":\"alice\"}", "alice")).isTrue();
		assertThat(Tombstones.writtenBy("{\"seq\":1,\"userId\":\"alice\"}", "alicia")).isFalse();
		assertThat(Tombstones.writtenBy("{\"seq\":1,\"data\":{\"userId\":\"alice\"}}", "alice")).isFalse();
		assertThat(Tombstones.writtenBy("{\"seq\":1,\"userId\":7}", "7")).isFalse();
		assertThat(Tombstones.writtenBy("{\"seq\":1,\"userId\":\"alice\"", "alice")).as("malformed").isFalse();
		assertThat(Tombstones.writtenBy("{\"seq\":1,\"text\":\"alice\"}", "alice")).isFalse();
		assertThat(Tombstones.writtenBy("{\"seq\":1,\"userId\":\"\\u00e9\"}", "é")).isTrue();
	}

}
