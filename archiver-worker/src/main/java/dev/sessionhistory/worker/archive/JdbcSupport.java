package dev.sessionhistory.worker.archive;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

import org.springframework.dao.DataAccessException;

/**
 * What the archive's statements ({@link ArchiveTable}) share that is no statement: one
 * column of many rows as an SQL array, so a batch of any size is one statement, and telling
 * a value PostgreSQL refused from a database that cannot be used.
 */
final class JdbcSupport {

	private JdbcSupport() {
	}

	/** One column of a statement that takes arrays, as an SQL array of {@code type}. */
	static <R, T> Array array(Connection connection, String type, List<R> rows, Function<R, T> column,
			IntFunction<T[]> newArray) throws SQLException {
		return connection.createArrayOf(type, rows.stream().map(column).toArray(newArray));
	}

	/** A statement of {@code sql} whose parameters are {@code columns}, in order. */
	static PreparedStatement prepare(Connection connection, String sql, Array... columns) throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql);
		for (int i = 0; i < columns.length; i++) {
			statement.setArray(i + 1, columns[i]);
		}
		return statement;
	}

	/**
	 * Whether PostgreSQL refused a value (SQLSTATE classes 22 data exception, 23 integrity
	 * constraint violation, 54 program limit exceeded) rather than being unusable.
	 */
	static boolean isDataError(DataAccessException ex) {
		Throwable cause = ex;
		while (cause != null) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				String state = sql.getSQLState();
				return state.startsWith("22") || state.startsWith("23") || state.startsWith("54");
			}
			cause = cause.getCause();
		}
		return false;
	}

}
