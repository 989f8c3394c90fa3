package dev.sessionhistory.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.sessionhistory.testsupport.Isolation;
import dev.sessionhistory.testsupport.PrivatePostgres;
import dev.sessionhistory.testsupport.PrivateRedis;
import dev.sessionhistory.testsupport.TestServers;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The servers of a test class that starts its workers itself: a database and a Redis key
 * prefix of the class's own, on the shared test servers ({@link TestServers}), or on a
 * redis-server or a PostgreSQL of the class's own that its tests may stop and restart.
 * Registered in a static field with {@code @RegisterExtension}; everything it made is
 * removed after the class. Workers and clients it hands out all use the same servers.
 */
public final class WorkerServers implements BeforeAllCallback, AfterAllCallback {

	private final String[] redisArgs;

	private final boolean ownPostgres;

	private PrivateRedis redis;

	private PrivatePostgres postgres;

	private String redisUrl;

	private String keyPrefix;

	private String database;

	private SessionWriter writer;

	private WorkerServers(String[] redisArgs, boolean ownPostgres) {
		this.redisArgs = redisArgs;
		this.ownPostgres = ownPostgres;
	}

	/** The shared Redis and PostgreSQL. */
	public static WorkerServers shared() {
		return new WorkerServers(null, false);
	}

	/** A redis-server of the class's own, started with {@code args} ({@link PrivateRedis#start}). */
	public static WorkerServers ownRedis(String... args) {
		return new WorkerServers(args, false);
	}

	/** A PostgreSQL server of the class's own, beside the shared Redis. */
	public static WorkerServers ownPostgres() {
		return new WorkerServers(null, true);
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		String name = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
		this.database = "sh_test_" + name.substring(0, Math.min(name.length(), 30)) + "_" + suffix;
		this.keyPrefix = "t" + suffix;
		if (this.redisArgs != null) {
			this.redis = PrivateRedis.start(this.redisArgs);
		}
		this.redisUrl = (this.redis != null) ? this.redis.url() : TestServers.get().redisUrl();
		if (this.ownPostgres) {
			this.postgres = PrivatePostgres.start();
			this.postgres.createDatabase(this.database);
		}
		else {
			TestServers.get().createDatabase(this.database);
		}
		this.writer = (this.redis != null) ? SessionWriter.connect(this.redisUrl, this.keyPrefix)
				: SessionWriter.connect(TestServers.get().redisConfiguration(), this.keyPrefix);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.writer != null) {
			this.writer.close();
		}
		if (this.redis != null) {
			this.redis.close();
		}
		else {
			TestServers.get().deleteKeys(this.keyPrefix);
		}
		if (this.postgres != null) {
			this.postgres.close();
		}
		else {
			TestServers.get().dropDatabase(this.database);
		}
	}

	/** The redis-server of the class's own. */
	public PrivateRedis redis() {
		if (this.redis == null) {
			throw new IllegalStateException("This class uses the shared Redis");
		}
		return this.redis;
	}

	/** The PostgreSQL server of the class's own. */
	public PrivatePostgres postgres() {
		if (this.postgres == null) {
			throw new IllegalStateException("This class uses the shared PostgreSQL");
		}
		return this.postgres;
	}

	/** Writes sessions under the class's key prefix, on a connection of its own. */
	public SessionWriter writer() {
		return this.writer;
	}

	/** Reads the class's database. */
	public ArchiveRows rows() {
		return ArchiveRows.connect(jdbcUrl(), username(), password());
	}

	/**
	 * Starts a worker on these servers.
	 * @param properties more {@code name=value} settings
	 */
	public ConfigurableApplicationContext startWorker(String... properties) {
		List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + jdbcUrl(),
				"--spring.datasource.username=" + username(), "--spring.datasource.password=" + password(),
				"--history.key-prefix=" + this.keyPrefix, "--server.port=0", "--management.server.port=0"));
		args.addAll((this.redis != null) ? List.of("--spring.data.redis.url=" + this.redisUrl)
				: TestServers.get().redisArgs());
		for (String property : properties) {
			args.add("--" + property);
		}
		return new SpringApplicationBuilder(WorkerApplication.class).run(args.toArray(String[]::new));
	}

	private String jdbcUrl() {
		return (this.postgres != null) ? this.postgres.jdbcUrl(this.database) : TestServers.get().jdbcUrl(this.database);
	}

	private String username() {
		return (this.postgres != null) ? "postgres" : TestServers.get().username();
	}

	private String password() {
		return (this.postgres != null) ? "" : TestServers.get().password();
	}

}
