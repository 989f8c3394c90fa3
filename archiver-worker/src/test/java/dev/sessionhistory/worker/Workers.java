package dev.sessionhistory.worker;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts extra worker instances next to a test, on the given servers and key prefix.
 */
public final class Workers {

	private Workers() {
	}

	/**
	 * @param properties more {@code name=value} settings
	 */
	public static ConfigurableApplicationContext start(String jdbcUrl, String username, String password,
			String redisUrl, String keyPrefix, String... properties) {
		List<String> all = new ArrayList<>(List.of("--spring.datasource.url=" + jdbcUrl,
				"--spring.datasource.username=" + username, "--spring.datasource.password=" + password,
				"--spring.data.redis.url=" + redisUrl, "--history.key-prefix=" + keyPrefix, "--server.port=0"));
		for (String property : properties) {
			all.add("--" + property);
		}
		return new SpringApplicationBuilder(WorkerApplication.class).run(all.toArray(String[]::new));
	}

}
