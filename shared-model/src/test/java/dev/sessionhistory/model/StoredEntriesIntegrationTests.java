package dev.sessionhistory.model;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.sessionhistory.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StoredEntries} against the real PostgreSQL: for every entry of a generated corpus,
 * the scan says storable exactly when PostgreSQL's jsonb input takes the entry as an object
 * (and its nesting is within the documented limit).
 */
class StoredEntriesIntegrationTests {

	private static final long SEED = 20261124L;

	private static final String DATABASE = "tstored" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	private static final String FUNCTION = """
			CREATE FUNCTION stores_as_object(entry text) RETURNS boolean LANGUAGE plpgsql AS $$
			BEGIN
				-- as the archive stores an entry: in a json column with a jsonb twin
				RETURN jsonb_typeof(entry::json::jsonb) = 'object';
			EXCEPTION WHEN data_exception OR program_limit_exceeded THEN
				RETURN false;
			END
			$$
			""";

	private static final List<byte[]> CORPUS = EntryCorpus.build(SEED);

	private static Connection connection;

	@BeforeAll
	static void createDatabase() throws SQLException {
		TestServers servers = TestServers.get();
		servers.createDatabase(DATABASE);
		connection = DriverManager.getConnection(servers.jdbcUrl(DATABASE), servers.username(), servers.password());
		try (Statement statement = connection.createStatement()) {
			statement.execute(FUNCTION);
		}
	}

	@AfterAll
	static void dropDatabase() throws SQLException {
		if (connection != null) {
			connection.close();
		}
		TestServers.get().dropDatabase(DATABASE);
	}

	@Test
	void theScanAndPostgresAgreeOnEveryEntryOfTheCorpus() throws SQLException {
		List<byte[]> sendable = new ArrayList<>();
		int unsendable = 0;
		for (byte[] entry : CORPUS) {
			if (isSendableText(entry)) {
				sendable.add(entry);
			}
			else {
				// not UTF-8, or with a NUL byte: no PostgreSQL text holds it, so it cannot be stored
				assertThat(StoredEntries.isStorableObject(entry)).as(describe(entry)).isFalse();
				unsendable++;
			}
		}
		List<Boolean> accepted = postgresAccepts(texts(sendable));
		List<String> disagreements = new ArrayList<>();
		int storable = 0;
		int tooDeep = 0;
		for (int i = 0; i < sendable.size(); i++) {
			byte[] entry = sendable.get(i);
			boolean withinDepth = !accepted.get(i) || depth(entry) <= StoredEntries.MAX_DEPTH;
			tooDeep += withinDepth ? 0 : 1;
			boolean expected = accepted.get(i) && withinDepth;
			storable += expected ? 1 : 0;
			if (StoredEntries.isStorableObject(entry) != expected) {
				disagreements.add((expected ? "PostgreSQL stores, the scan refuses: " : "PostgreSQL refuses, the scan stores: ")
						+ describe(entry));
			}
		}
		assertThat(disagreements).isEmpty();
		// the corpus has every kind of entry
		assertThat(storable).isGreaterThan(1000);
		assertThat(sendable.size() - storable).isGreaterThan(1500);
		assertThat(unsendable).isGreaterThan(300);
		assertThat(tooDeep).isGreaterThanOrEqualTo(4);
	}

	@Test
	void everyEntryAsItIsOrWrappedMakesAnArchivePostgresStores() throws SQLException {
		StringBuilder archive = new StringBuilder("[");
		List<String> wrapped = new ArrayList<>();
		for (int i = 0; i < CORPUS.size(); i++) {
			byte[] entry = CORPUS.get(i);
			byte[] element = entry;
			if (!StoredEntries.isStorableObject(entry)) {
				element = StoredEntries.malformed(i + 1, entry);
				assertThat(StoredEntries.isStorableObject(element)).as(describe(entry)).isTrue();
				wrapped.add(new String(element, StandardCharsets.UTF_8));
			}
			archive.append((i > 0) ? "," : "").append(new String(element, StandardCharsets.UTF_8));
		}
		assertThat(postgresAccepts(wrapped)).hasSize(wrapped.size()).containsOnly(true);
		// the archive's array adds a level to the deepest entries
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT jsonb_array_length(CAST(? AS json)::jsonb)")) {
			statement.setString(1, archive.append(']').toString());
			try (ResultSet result = statement.executeQuery()) {
				assertThat(result.next()).isTrue();
				assertThat(result.getInt(1)).isEqualTo(CORPUS.size());
			}
		}
	}

	private static List<Boolean> postgresAccepts(List<String> entries) throws SQLException {
		List<Boolean> accepted = new ArrayList<>(entries.size());
		try (PreparedStatement statement = connection.prepareStatement(
				"SELECT stores_as_object(e) FROM unnest(CAST(? AS text[])) WITH ORDINALITY AS t(e, n) ORDER BY n")) {
			Array array = connection.createArrayOf("text", entries.toArray());
			statement.setArray(1, array);
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					accepted.add(result.getBoolean(1));
				}
			}
			array.free();
		}
		assertThat(accepted).hasSize(entries.size());
		return accepted;
	}

	private static boolean isSendableText(byte[] entry) {
		for (byte b : entry) {
			if (b == 0) {
				return false;
			}
		}
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(entry));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	/** The nesting depth of well-formed JSON: brackets outside strings. */
	private static int depth(byte[] json) {
		int depth = 0;
		int max = 0;
		boolean inString = false;
		for (int i = 0; i < json.length; i++) {
			byte c = json[i];
			if (inString) {
				if (c == '\\') {
					i++;
				}
				else if (c == '"') {
					inString = false;
				}
			}
			else if (c == '"') {
				inString = true;
			}
			else if (c == '{' || c == '[') {
				max = Math.max(max, ++depth);
			}
			else if (c == '}' || c == ']') {
				depth--;
			}
		}
		return max;
	}

	private static List<String> texts(List<byte[]> entries) {
		return entries.stream().map((entry) -> new String(entry, StandardCharsets.UTF_8)).toList();
	}

	private static String describe(byte[] entry) {
		String text = new String(entry, StandardCharsets.UTF_8);
		return (text.length() <= 120) ? text : text.substring(0, 120) + "… (" + entry.length + " bytes)";
	}

}
