package dev.sessionhistory.reliability;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs a bounded number of client tasks on a few threads in the background, so a scenario
 * can inject its fault while they run. Bounded in count and in time: {@link #await} stops
 * the pool at its deadline.
 */
final class Traffic implements AutoCloseable {

	private final ExecutorService pool;

	private final AtomicInteger done = new AtomicInteger();

	private final AtomicReference<Throwable> failure = new AtomicReference<>();

	private final int count;

	private Traffic(int threads, int count) {
		this.count = count;
		this.pool = Executors.newFixedThreadPool(threads, (runnable) -> {
			Thread thread = new Thread(runnable, "traffic");
			thread.setDaemon(true);
			return thread;
		});
	}

	/** Starts {@code task(0) … task(count - 1)} on {@code threads} threads. */
	static Traffic start(int threads, int count, IntConsumer task) {
		Traffic traffic = Cleanup.register(new Traffic(threads, count));
		for (int i = 0; i < count; i++) {
			int index = i;
			traffic.pool.execute(() -> {
				try {
					if (traffic.failure.get() == null) {
						task.accept(index);
					}
				}
				catch (Throwable ex) {
					traffic.failure.compareAndSet(null, ex);
				}
				finally {
					traffic.done.incrementAndGet();
				}
			});
		}
		traffic.pool.shutdown();
		return traffic;
	}

	int done() {
		return this.done.get();
	}

	/** Waits until at least {@code tasks} tasks are done (or all, or the time is up). */
	void awaitProgress(int tasks, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.done.get() < Math.min(tasks, this.count) && System.nanoTime() < deadline) {
			ServiceProcess.sleep(20);
		}
	}

	/** Waits for every task, failing if one threw or the time ran out. */
	void await(Duration timeout) {
		try {
			if (!this.pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.pool.shutdownNow();
				throw new IllegalStateException("Traffic not done within " + timeout + ": " + this.done.get() + " of "
						+ this.count + " tasks");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		if (this.failure.get() != null) {
			throw new IllegalStateException("A traffic task failed", this.failure.get());
		}
	}

	@Override
	public void close() {
		this.pool.shutdownNow();
	}

}
