package dev.sessionhistory.worker.system;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;

import dev.sessionhistory.model.Settings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The worker's settings, prefix {@code history}. The key prefix, shared with the API, is
 * bound by shared-model ({@code SessionHistoryProperties}).
 *
 * @param workerId this replica's name in claim keys; blank means host-pid-random
 * @param configureKeyspaceEvents whether to add {@code Ex} to the server's
 * {@code notify-keyspace-events} at start-up (needs the {@code CONFIG} command)
 * @param archive how sessions are archived
 * @param sweep how the {@code due} index is swept
 * @param retention how long archives are kept
 */
@ConfigurationProperties("history")
public record HistoryProperties(String workerId, @DefaultValue("true") boolean configureKeyspaceEvents,
		@DefaultValue Archive archive, @DefaultValue Sweep sweep, @DefaultValue Retention retention) {

	public HistoryProperties {
		if (workerId == null || workerId.isBlank()) {
			workerId = defaultWorkerId();
		}
	}

	/**
	 * @param batchSize the most sessions claimed and inserted together
	 * @param claimTtl how long a claim keeps other replicas away; a replica that dies
	 * mid-way blocks its sessions no longer than this
	 * @param backoffMin the first retry delay after a database failure
	 * @param backoffMax the longest retry delay
	 * @param invalidRetry how long a session whose Redis data cannot be archived waits
	 * before the next attempt
	 */
	public record Archive(@DefaultValue("500") int batchSize, @DefaultValue("30s") Duration claimTtl,
			@DefaultValue("500ms") Duration backoffMin, @DefaultValue("30s") Duration backoffMax,
			@DefaultValue("10m") Duration invalidRetry) {

		public Archive {
			Settings.atLeast("history.archive.batch-size", batchSize, 1);
			Settings.atLeast("history.archive.claim-ttl", claimTtl, Duration.ofSeconds(1));
			Settings.atLeast("history.archive.backoff-min", backoffMin, Duration.ofMillis(1));
			Settings.atLeast("history.archive.backoff-max", backoffMax, backoffMin);
			Settings.atLeast("history.archive.invalid-retry", invalidRetry, Duration.ofMillis(1));
		}

	}

	/**
	 * @param interval the pause between two sweeps of the {@code due} index
	 * @param reconcileInterval about how long one reconcile pass over the whole keyspace
	 * takes (looking for pending instances missing from the {@code due} index): its
	 * bounded steps run beside the sweep, never holding it up, spaced so that the steps a
	 * pass needs ({@code DBSIZE} / {@code reconcileBatch}) fill the interval, never closer
	 * than 20 ms; the next pass begins one interval after the previous one began. Each
	 * replica reconciles on its own.
	 * @param reconcileBatch the {@code COUNT} of each reconcile {@code SCAN} and
	 * {@code SSCAN}, and the most pending sets one step reads; at most 10000 so that no
	 * single step holds Redis for long
	 */
	public record Sweep(@DefaultValue("2s") Duration interval, @DefaultValue("5m") Duration reconcileInterval,
			@DefaultValue("1000") int reconcileBatch) {

		/** A SCAN of COUNT 10000 takes Redis about 8 ms. */
		static final int MAX_RECONCILE_BATCH = 10_000;

		public Sweep {
			Settings.atLeast("history.sweep.interval", interval, Duration.ofMillis(10));
			Settings.atLeast("history.sweep.reconcile-interval", reconcileInterval, Duration.ofMillis(10));
			Settings.atLeast("history.sweep.reconcile-batch", reconcileBatch, 1);
			if (reconcileBatch > MAX_RECONCILE_BATCH) {
				throw new IllegalArgumentException("history.sweep.reconcile-batch must be at most "
						+ MAX_RECONCILE_BATCH + " but was " + reconcileBatch);
			}
		}

	}

	/**
	 * @param archive how long an archive is kept after its session ended; {@code null} (the
	 * default) keeps every archive forever; at least a minute
	 * @param interval the pause between two retention runs once nothing more is due
	 * @param batchSize the most archives deleted in one transaction, with their chunks and
	 * participants; at most 10000 so that no transaction holds many rows for long
	 */
	public record Retention(Duration archive, @DefaultValue("1m") Duration interval,
			@DefaultValue("500") int batchSize) {

		static final Duration MIN_ARCHIVE = Duration.ofMinutes(1);

		static final int MAX_BATCH_SIZE = 10_000;

		public Retention {
			if (archive != null && archive.compareTo(MIN_ARCHIVE) < 0) {
				throw new IllegalArgumentException("history.retention.archive must be at least 1 minute (or unset, "
						+ "to keep archives forever) but was " + archive.toMillis() + " ms");
			}
			Settings.atLeast("history.retention.interval", interval, Duration.ofMillis(10));
			Settings.atLeast("history.retention.batch-size", batchSize, 1);
			Settings.atMost("history.retention.batch-size", batchSize, MAX_BATCH_SIZE);
		}

		/** Whether archives are ever deleted. */
		public boolean enabled() {
			return this.archive != null;
		}

	}

	private static String defaultWorkerId() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "unknown-host";
		}
		return host + "-" + ProcessHandle.current().pid() + "-"
				+ UUID.randomUUID().toString().substring(0, 8);
	}

}
