package dev.sessionhistory.worker.system;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BackgroundTaskTests {

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	@BeforeEach
	void startScheduler() {
		this.scheduler.setPoolSize(2);
		this.scheduler.initialize();
	}

	@AfterEach
	void stopScheduler() {
		this.scheduler.shutdown();
	}

	@Test
	void anErrorThrownByOneRunNeverStopsTheRunsAfterIt() {
		AtomicInteger runs = new AtomicInteger();
		Task task = new Task(Duration.ofSeconds(1), () -> {
			if (runs.incrementAndGet() == 1) {
				throw new OutOfMemoryError("thrown by the test");
			}
		}, (self) -> this.scheduler.scheduleWithFixedDelay(self::run, Duration.ofMillis(10)));
		task.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
		task.stop();
	}

	@Test
	void runsNeverOverlap() throws Exception {
		AtomicInteger active = new AtomicInteger();
		AtomicBoolean overlapped = new AtomicBoolean();
		AtomicInteger runs = new AtomicInteger();
		Task task = new Task(Duration.ofSeconds(1), () -> {
			overlapped.compareAndSet(false, active.incrementAndGet() > 1);
			pause(5); // time for another caller to overlap, if it could
			runs.incrementAndGet();
			active.decrementAndGet();
		}, null);
		task.start();
		CompletableFuture<?>[] callers = new CompletableFuture<?>[4];
		for (int i = 0; i < callers.length; i++) {
			callers[i] = CompletableFuture.runAsync(() -> {
				for (int run = 0; run < 10; run++) {
					task.run();
				}
			});
		}
		CompletableFuture.allOf(callers).get(30, TimeUnit.SECONDS);
		assertThat(runs).hasValue(40);
		assertThat(overlapped).isFalse();
	}

	@Test
	void stopWaitsForTheRunInProgressAndNoRunBeginsAfterIt() throws Exception {
		CountDownLatch inRun = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger runs = new AtomicInteger();
		Task task = new Task(Duration.ofSeconds(10), () -> {
			runs.incrementAndGet();
			inRun.countDown();
			waitFor(release);
		}, null);
		task.start();
		CompletableFuture.runAsync(task::run);
		assertThat(inRun.await(5, TimeUnit.SECONDS)).isTrue();

		CompletableFuture<Void> stopping = CompletableFuture.runAsync(task::stop);
		// The run in progress holds the stop back: it is never cut short.
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !stopping.isDone());
		assertThat(task.isRunning()).isFalse();
		release.countDown();
		stopping.get(5, TimeUnit.SECONDS);
		assertThat(task.late).isFalse();

		task.run();
		assertThat(runs).hasValue(1);
	}

	@Test
	void aStopThatGivesUpWaitingSaysSo() throws Exception {
		CountDownLatch inRun = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Task task = new Task(Duration.ofMillis(100), () -> {
			inRun.countDown();
			waitFor(release);
		}, (self) -> this.scheduler.scheduleWithFixedDelay(self::run, Duration.ofSeconds(10)));
		task.start();
		assertThat(inRun.await(5, TimeUnit.SECONDS)).isTrue();
		task.stop();
		assertThat(task.late).isTrue();
		release.countDown();
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void waitFor(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static final class Task extends BackgroundTask {

		private final Runnable job;

		private final Function<Task, Future<?>> schedule;

		private volatile boolean late;

		Task(Duration stopTimeout, Runnable job, Function<Task, Future<?>> schedule) {
			super(stopTimeout);
			this.job = job;
			this.schedule = schedule;
		}

		@Override
		protected void runOnce() {
			this.job.run();
		}

		@Override
		protected Future<?> schedule() {
			return (this.schedule != null) ? this.schedule.apply(this) : null;
		}

		@Override
		protected void stoppedLate() {
			this.late = true;
		}

	}

}
