package dev.sessionhistory.model;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The forms of user ids and rights, the same the scripts check.
 */
class ParticipantTests {

	@Test
	void userIdsAreOneTo256BytesOfUtf8WithoutControlCharacters() {
		assertThat(UserIds.isValid("auth0|abc")).isTrue();
		assertThat(UserIds.isValid("google-oauth2|1/2 x")).isTrue();
		assertThat(UserIds.isValid("é".repeat(128))).isTrue();
		assertThat(UserIds.isValid("é".repeat(129))).isFalse();
		assertThat(UserIds.isValid("x".repeat(257))).isFalse();
		assertThat(UserIds.isValid("")).isFalse();
		assertThat(UserIds.isValid(null)).isFalse();
		assertThat(UserIds.isValid("a\u001Fb")).isFalse();
		assertThat(UserIds.isValid("a\u007Fb")).isFalse();
		assertThat(UserIds.isValid("lone \uD800 surrogate")).isFalse();
	}

	@Test
	void rightsAreASubsetInTheirOrder() {
		for (String rights : new String[] { "read", "append", "end", "read,append", "read,end", "append,end",
				"read,append,end" }) {
			assertThat(Participant.isValidRights(rights)).as(rights).isTrue();
		}
		for (String rights : new String[] { "", "append,read", "read,read", "read,", ",read", "write", "Read" }) {
			assertThat(Participant.isValidRights(rights)).as(rights).isFalse();
		}
		assertThat(Participant.rights(Set.of(Participant.END, Participant.READ))).isEqualTo("read,end");
	}

	@Test
	void aParticipantIsCheckedWhenMade() {
		Participant participant = new Participant("auth0|abc", "read,append");
		assertThat(participant.has(Participant.APPEND)).isTrue();
		assertThat(participant.has(Participant.END)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> new Participant("auth0|abc", "admin"))
			.withMessageContaining("admin");
		assertThatIllegalArgumentException().isThrownBy(() -> new Participant("a\nb", "read"))
			.withMessageContaining("user id");
	}

}
