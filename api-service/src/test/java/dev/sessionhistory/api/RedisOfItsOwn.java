package dev.sessionhistory.api;

import java.util.UUID;

import dev.sessionhistory.testsupport.PrivateRedis;
import dev.sessionhistory.testsupport.TestServers;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * For the tests of a Redis outage: a Redis server of the test class's own, which it can
 * stop and restart, and a database of its own on the shared PostgreSQL. Registered with
 * {@code @RegisterExtension} on a static field, it removes both after the class; the
 * class's {@code @DynamicPropertySource} hands {@link #register} the registry.
 */
public final class RedisOfItsOwn implements AfterAllCallback {

	private final PrivateRedis redis = PrivateRedis.start();

	private final String database;

	private RedisOfItsOwn(String name) {
		this.database = "sh_test_" + name + "_" + UUID.randomUUID().toString().substring(0, 8);
		TestServers.get().createDatabase(this.database);
	}

	/** @param name a few lower-case letters, part of the database's name */
	public static RedisOfItsOwn start(String name) {
		return new RedisOfItsOwn(name);
	}

	public PrivateRedis redis() {
		return this.redis;
	}

	/** Points the API at this Redis and this database. */
	public void register(DynamicPropertyRegistry registry) {
		TestServers servers = TestServers.get();
		registry.add("spring.data.redis.url", this.redis::url);
		registry.add("spring.datasource.url", () -> servers.jdbcUrl(this.database));
		registry.add("spring.datasource.username", servers::username);
		registry.add("spring.datasource.password", servers::password);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		this.redis.close();
		TestServers.get().dropDatabase(this.database);
	}

}
