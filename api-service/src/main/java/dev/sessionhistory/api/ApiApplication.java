package dev.sessionhistory.api;

import dev.sessionhistory.api.security.SecuritySettings;
import dev.sessionhistory.api.system.HistoryProperties;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Creates sessions, appends messages and serves histories: live from Redis, archived
 * from PostgreSQL.
 */
@SpringBootApplication
@EnableConfigurationProperties({ HistoryProperties.class, SecuritySettings.class })
public class ApiApplication {

	public static void main(String[] args) {
		SpringApplication.run(ApiApplication.class, args);
	}

}
