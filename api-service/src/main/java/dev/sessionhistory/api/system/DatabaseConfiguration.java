package dev.sessionhistory.api.system;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.api.FlywayException;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API applies the migrations at start-up so it can start before the worker (which owns
 * the schema), but must also start while PostgreSQL is down: live histories and writes
 * need only Redis. A failed migration is therefore a warning, not a failed start.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

	private static final Log log = LogFactory.getLog(DatabaseConfiguration.class);

	@Bean
	FlywayMigrationStrategy migrateUnlessUnreachable() {
		return (flyway) -> {
			try {
				flyway.migrate();
			}
			catch (FlywayException ex) {
				log.warn("Could not apply the database migrations at start-up (" + ex.getMessage() + "). "
						+ "Live sessions work; archived histories answer 503 until PostgreSQL is reachable "
						+ "and the schema exists (the archiver-worker applies it when it starts).");
			}
		};
	}

}
