package dev.sessionhistory.testsupport;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks of the services' settings: a bad one stops the start-up, and says which it is.
 */
public final class SettingChecks {

	private SettingChecks() {
	}

	/** The context fails to start with {@code setting}, and its root cause names it in {@code message}. */
	public static void assertRefused(ApplicationContextRunner runner, String setting, String message) {
		runner.withPropertyValues(setting)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.as(setting)
				.hasMessageContaining(message));
	}

}
