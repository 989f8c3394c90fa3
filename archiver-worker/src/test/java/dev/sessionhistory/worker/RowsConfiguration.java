package dev.sessionhistory.worker;

import javax.sql.DataSource;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Gives a test context the {@link ArchiveRows} of its database.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RowsConfiguration {

	@Bean
	ArchiveRows archiveRows(DataSource dataSource) {
		return new ArchiveRows(dataSource);
	}

}
