package dev.sessionhistory.api.live;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLongArray;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sessionhistory.model.StoredEntries;

/**
 * The entries of live instances already judged storable ({@link StoredEntries}), so that each
 * entry is judged once rather than on every read of every page that holds it: judging was a
 * quarter of a live read's CPU, and a live session's pages are read again and again.
 * <p>
 * What is remembered is a 64-bit fingerprint of the entry's bytes, by code, instance and position,
 * in blocks of {@value #BLOCK} positions held by Caffeine and weighed in bytes. An entry is
 * trusted only when its bytes have the fingerprint that was remembered for its position, so
 * an entry a foreign writer rewrote in place ({@code LSET}, {@code LINSERT}) is judged again.
 * The fingerprint is seeded at random per process: it guards against rewrites by accident,
 * not against a writer who can write anything to Redis anyway. It is written here, in a few
 * lines, because no hashing library is on the class path and the live read runs it on every
 * entry it serves.
 */
final class JudgedEntries {

	static final int BLOCK = 128;

	/** A block's weight: its array and about the cache's own entry and key. */
	private static final int BLOCK_WEIGHT = BLOCK * Long.BYTES + 96;

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	private static final long K1 = 0x9E3779B97F4A7C15L;

	private static final long K2 = 0xC2B2AE3D27D4EB4FL;

	private final Cache<Block, AtomicLongArray> blocks;

	private final long seed;

	/**
	 * @param maxBytes the memory the fingerprints may take
	 */
	JudgedEntries(long maxBytes) {
		// Upkeep on the reading thread: reads are many and cheap, a hand-off to a pool is not.
		this.blocks = Caffeine.newBuilder()
			.executor(Runnable::run)
			.maximumWeight(maxBytes)
			.weigher((Block block, AtomicLongArray prints) -> BLOCK_WEIGHT)
			.build();
		this.seed = new SecureRandom().nextLong();
	}

	/**
	 * Which of a page's entries are storable: from memory where these bytes were judged at
	 * their position before, else judged now (and remembered when storable; the others are
	 * rare and judged every time). One cache lookup per block the page touches, not per entry.
	 * @param firstIndex the position of the first entry (its seq - 1)
	 */
	boolean[] judge(String code, UUID sessionId, long firstIndex, List<byte[]> entries) {
		boolean[] storable = new boolean[entries.size()];
		AtomicLongArray prints = null;
		Block key = null;
		for (int i = 0; i < storable.length; i++) {
			long index = firstIndex + i;
			int slot = (int) (index % BLOCK);
			if (key == null || slot == 0) {
				key = new Block(code, sessionId, index / BLOCK);
				prints = this.blocks.getIfPresent(key);
			}
			byte[] entry = entries.get(i);
			long print = fingerprint(entry);
			if (prints != null && prints.getPlain(slot) == print) {
				storable[i] = true;
			}
			else if (StoredEntries.isStorableObject(entry)) {
				storable[i] = true;
				if (prints == null) {
					prints = this.blocks.get(key, (block) -> new AtomicLongArray(BLOCK));
				}
				// Racing readers of one position write the same value, or one of two that both hold.
				prints.setRelease(slot, print);
			}
		}
		return storable;
	}

	/** Seeded 64-bit fingerprint (a multiply-rotate mix per 8 bytes, murmur3's finaliser); never 0. */
	long fingerprint(byte[] bytes) {
		long h = this.seed ^ (bytes.length * K1);
		int i = 0;
		for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
			h = Long.rotateLeft(h ^ ((long) LONGS.get(bytes, i) * K2), 31) * K1;
		}
		long tail = 0;
		for (int k = bytes.length - 1; k >= i; k--) {
			tail = (tail << 8) | (bytes[k] & 0xFF);
		}
		h = Long.rotateLeft(h ^ (tail * K2), 31) * K1;
		h ^= h >>> 33;
		h *= 0xFF51AFD7ED558CCDL;
		h ^= h >>> 33;
		h *= 0xC4CEB9FE1A85EC53L;
		h ^= h >>> 33;
		return h | 1;
	}

	/** The code too: instances of different codes may share an id (foreign writers' do). */
	private record Block(String code, UUID sessionId, long number) {
	}

}
