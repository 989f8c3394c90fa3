package dev.sessionhistory.worker;

import dev.sessionhistory.worker.system.HistoryProperties;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Archives every ended session exactly once into PostgreSQL, then deletes its Redis data.
 */
@SpringBootApplication
@EnableConfigurationProperties(HistoryProperties.class)
public class WorkerApplication {

	public static void main(String[] args) {
		SpringApplication.run(WorkerApplication.class, args);
	}

}
