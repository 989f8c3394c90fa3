package dev.sessionhistory.worker.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyspaceNotificationsTests {

	@Test
	void addsWhatIsMissingAndKeepsEveryFlagAlreadySet() {
		assertThat(KeyspaceNotifications.withExpiredEvents("")).isEqualTo("Ex");
		assertThat(KeyspaceNotifications.withExpiredEvents(null)).isEqualTo("Ex");
		assertThat(KeyspaceNotifications.withExpiredEvents("Kg")).isEqualTo("KgEx");
		assertThat(KeyspaceNotifications.withExpiredEvents("xK")).isEqualTo("xKE");
		assertThat(KeyspaceNotifications.withExpiredEvents("gE")).isEqualTo("gEx");
	}

	@Test
	void changesNothingWhenExpiredKeyeventsArePublishedAlready() {
		assertThat(KeyspaceNotifications.withExpiredEvents("xE")).isEqualTo("xE");
		assertThat(KeyspaceNotifications.withExpiredEvents("AKE")).isEqualTo("AKE");
	}

}
