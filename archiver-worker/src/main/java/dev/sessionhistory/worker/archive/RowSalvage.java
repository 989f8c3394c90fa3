package dev.sessionhistory.worker.archive;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Component;

/**
 * Makes a row PostgreSQL refused storable: the values its {@code jsonb} refuses although
 * they are well-formed JSON are wrapped as malformed messages, each at its seq, and the
 * others kept as they are. PostgreSQL itself judges each value
 * ({@link ArchiveTable#castsToJsonb}), so nothing is wrapped that it would have taken.
 */
@Component
class RowSalvage {

	private final ArchiveTable table;

	RowSalvage(ArchiveTable table) {
		this.table = table;
	}

	/** The row with its chunks salvaged and its metadata wrapped if refused. */
	ArchiveRow salvage(ArchiveRow row) {
		List<ArchiveChunk> salvaged = new ArrayList<>(row.chunks().size());
		row.chunks().forEach((chunk) -> salvaged.add(salvage(chunk)));
		return row.with(salvaged, !this.table.castsToJsonb(row.metadata()));
	}

	/** A row without chunks (written before them), its metadata wrapped if refused. */
	ArchiveRow salvageHeader(ArchiveRow header) {
		return header.with(List.of(), !this.table.castsToJsonb(header.metadata()));
	}

	/** Finds the elements jsonb refuses by halving, so a long chunk costs few queries. */
	ArchiveChunk salvage(ArchiveChunk chunk) {
		Set<Integer> refused = new HashSet<>();
		findRefused(chunk.elements(), 0, chunk.size(), refused);
		return refused.isEmpty() ? chunk : chunk.wrapping(refused);
	}

	private void findRefused(List<String> elements, int from, int to, Set<Integer> refused) {
		if (from >= to || this.table.castsToJsonb(ArchiveChunk.join(elements.subList(from, to)))) {
			return;
		}
		if (to - from == 1) {
			refused.add(from);
			return;
		}
		int middle = (from + to) >>> 1;
		findRefused(elements, from, middle, refused);
		findRefused(elements, middle, to, refused);
	}

}
