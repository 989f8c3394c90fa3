package dev.sessionhistory.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PageCutTests {

	@Test
	void afterKeepsTheLowestSeqsAndStopsBeforeTheMessageThatWouldPassTheLimit() {
		assertThat(PageCut.of("after", new int[] { 40, 30, 30, 1 }, 100)).isEqualTo(new PageCut(3, true, 100));
		assertThat(PageCut.of("after", new int[] { 40, 30, 31 }, 100)).isEqualTo(new PageCut(2, true, 70));
	}

	@Test
	void beforeAndLatestKeepTheHighestSeqs() {
		assertThat(PageCut.of("before", new int[] { 1, 30, 30, 40 }, 100)).isEqualTo(new PageCut(3, true, 100));
		assertThat(PageCut.of("latest", new int[] { 99, 60, 50 }, 100)).isEqualTo(new PageCut(1, true, 50));
	}

	@Test
	void theFirstMessageComesWhateverItsSize() {
		assertThat(PageCut.of("after", new int[] { 500, 1 }, 100)).isEqualTo(new PageCut(1, true, 500));
		assertThat(PageCut.of("latest", new int[] { 1, 500 }, 100)).isEqualTo(new PageCut(1, true, 500));
	}

	@Test
	void aPageWithinTheLimitIsNotCut() {
		assertThat(PageCut.of("after", new int[] { 50, 50 }, 100)).isEqualTo(new PageCut(2, false, 100));
		assertThat(PageCut.of("before", new int[0], 100)).isEqualTo(new PageCut(0, false, 0));
	}

}
