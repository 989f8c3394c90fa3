package dev.sessionhistory.model;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class SettingsTests {

	@Test
	void durationsBelowTheMinimumAreRefusedByName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Settings.atLeast("history.x", Duration.ofMillis(999), Duration.ofSeconds(1)))
			.withMessage("history.x must be at least 1000 ms but was 999 ms");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Settings.atLeast("history.x", null, Duration.ofSeconds(1)))
			.withMessageContaining("not set");
		assertThatNoException().isThrownBy(() -> Settings.atLeast("history.x", Duration.ofSeconds(1), Duration.ofSeconds(1)));
	}

	@Test
	void numbersBelowTheMinimumAreRefusedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> Settings.atLeast("history.n", 0, 1))
			.withMessage("history.n must be at least 1 but was 0");
	}

	@Test
	void keyPrefixesOutsideTheAlphabetAreRefusedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> Settings.keyPrefix("history.key-prefix", "a:b"))
			.withMessageStartingWith("history.key-prefix: ");
		assertThatNoException().isThrownBy(() -> Settings.keyPrefix("history.key-prefix", "sh"));
	}

}
