package dev.sessionhistory.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The summary table, {@code results/latest.md}. Each scenario replaces its own row, so a run
 * of one scenario, or a default run without the long scenarios of {@code -Pfull}, keeps the
 * others' last figures; the file is committed.
 */
final class Results {

	static final String HEADER = "| scenario | sessions | messages | faults | lost | duplicated | max archive lag | duration | result |";

	private static final Map<String, Instant> STARTED = new ConcurrentHashMap<>();

	private Results() {
	}

	/** Marks the start of a scenario, for its duration. */
	static void start(String scenario) {
		STARTED.put(scenario, Instant.now());
	}

	static synchronized void record(Verdict verdict) {
		Instant started = STARTED.getOrDefault(verdict.scenario(), Instant.now());
		long seconds = Duration.between(started, Instant.now()).toSeconds();
		String row = String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %.1f s | %d s | %s |",
				verdict.scenario(), verdict.sessions(), verdict.messages(), verdict.faults(), verdict.lost(),
				verdict.duplicated(), verdict.maxLagSeconds(), seconds, verdict.clean() ? "pass" : "FAIL");
		Map<String, String> rows = new TreeMap<>(readRows());
		rows.put(verdict.scenario(), row);
		write(rows);
	}

	static Path file() {
		return Path.of(System.getProperty("reliability.results", "results"), "latest.md");
	}

	static String table() {
		Map<String, String> rows = readRows();
		List<String> lines = new ArrayList<>(List.of(HEADER, "|---|---:|---:|---:|---:|---:|---:|---:|---|"));
		lines.addAll(rows.values());
		return String.join("\n", lines);
	}

	private static Map<String, String> readRows() {
		Map<String, String> rows = new TreeMap<>();
		if (!Files.exists(file())) {
			return rows;
		}
		try {
			for (String line : Files.readAllLines(file())) {
				if (line.startsWith("| s") && !line.equals(HEADER)) {
					rows.put(line.substring(2, line.indexOf(' ', 2)), line);
				}
			}
			return rows;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void write(Map<String, String> rows) {
		List<String> lines = new ArrayList<>();
		lines.add("# Reliability suite: latest results");
		lines.add("");
		lines.add("Written by `./mvnw verify` (module `reliability`, see its README); each scenario replaces its");
		lines.add("own row when it runs and the rows of the others stay: the long scenarios run only with");
		lines.add("`./mvnw verify -Pfull`, so their rows are from the last such run. lost and duplicated count");
		lines.add("acknowledged messages and created sessions; the archive lag is the longest time from a");
		lines.add("session's end to its archive row.");
		lines.add("Last updated " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " on "
				+ Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
				+ ".");
		lines.add("");
		lines.add(HEADER);
		lines.add("|---|---:|---:|---:|---:|---:|---:|---:|---|");
		lines.addAll(rows.values());
		try {
			Files.createDirectories(file().getParent());
			Files.write(file(), lines);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
