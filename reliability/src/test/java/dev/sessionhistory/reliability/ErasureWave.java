package dev.sessionhistory.reliability;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.sessionhistory.reliability.ErasureLedger.Stage;

/**
 * Scenario 9's wave: sessions created, appended to and ended (or left to expire) through
 * the API by their owner, a third of them erased through it, by the owner or (one in four)
 * the admin, at one of three stages ({@link Stage}). The sessions kept go into one ledger,
 * the erased ones into another: only the first must be in the archive.
 */
final class ErasureWave {

	private final Api api;

	private final ArchiveTables tables;

	private final int sessions;

	final Ledger kept = new Ledger();

	final Ledger erased = new Ledger();

	final ErasureLedger erasures = new ErasureLedger();

	/** Sessions ended and to be erased as soon as their archive row is seen. */
	private final Queue<Pending> onceArchived = new ConcurrentLinkedQueue<>();

	private Traffic clients;

	private Traffic eraser;

	ErasureWave(Api api, ArchiveTables tables, int sessions) {
		this.api = api;
		this.tables = tables;
		this.sessions = sessions;
	}

	/** Starts the clients on 8 threads and the eraser of archived sessions on one. */
	ErasureWave start() {
		this.clients = Traffic.start(8, this.sessions, this::session);
		this.eraser = Traffic.start(1, 1, (ignored) -> eraseOnceArchived());
		return this;
	}

	Traffic clients() {
		return this.clients;
	}

	/** Waits for every client and the last erasure. */
	void await(Duration timeout) {
		this.clients.await(timeout);
		this.eraser.await(timeout);
	}

	/**
	 * Session {@code i}: two in three are kept (half expire after 1 s of silence, half are
	 * ended), one in three is erased at the stage its number gives.
	 */
	private void session(int i) {
		String code = "e" + i;
		if (i % 3 != 0) {
			Clients.session(this.api, this.kept, code, 1, 1 + i % 3, i % 2 == 1);
			return;
		}
		Stage stage = Stage.values()[(i / 3) % 3];
		boolean asAdmin = i % 4 == 0;
		// Live for 30 s unless ended: erased while live, it must be found live.
		if (!Clients.session(this.api, this.erased, code, (stage == Stage.LIVE) ? 30 : 1, 2, stage != Stage.LIVE)) {
			return;
		}
		Ledger.Session session = this.erased.session(code);
		switch (stage) {
			case LIVE -> {
				Clients.erase(this.api, this.erasures, session, stage, asAdmin);
				this.erasures.appendedAfterErasure(code, this.api.append(code, code + "-late", Payloads.data(3)));
			}
			case ENDED -> Clients.erase(this.api, this.erasures, session, stage, asAdmin);
			case ARCHIVED -> this.onceArchived.add(new Pending(session, asAdmin));
		}
	}

	/**
	 * Erases each session handed over as soon as its archive row is there, until the
	 * clients are done and none is left (or 150 s have passed: the rest is a problem).
	 */
	private void eraseOnceArchived() {
		Map<UUID, Pending> waiting = new HashMap<>();
		long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
		while (System.nanoTime() < deadline) {
			boolean clientsDone = this.clients.done() == this.sessions;
			for (Pending next = this.onceArchived.poll(); next != null; next = this.onceArchived.poll()) {
				waiting.put(next.session().id, next);
			}
			if (waiting.isEmpty() && clientsDone) {
				return;
			}
			if (!waiting.isEmpty()) {
				for (UUID id : this.tables.archived(waiting.keySet())) {
					Pending pending = waiting.remove(id);
					Clients.erase(this.api, this.erasures, pending.session(), Stage.ARCHIVED, pending.asAdmin());
				}
			}
			ServiceProcess.sleep(100);
		}
		waiting.values()
			.forEach((pending) -> this.erasures.problem(pending.session().code + " " + pending.session().id
					+ " was never seen archived, so never erased"));
	}

	/**
	 * A session to erase once it is archived.
	 *
	 * @param session it
	 * @param asAdmin whether the admin erases it (else its owner)
	 */
	private record Pending(Ledger.Session session, boolean asAdmin) {
	}

}
