package dev.sessionhistory.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.sessionhistory.testsupport.PrivatePostgres;
import dev.sessionhistory.testsupport.PrivateRedis;
import dev.sessionhistory.testsupport.PrivateRedisCluster;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * One scenario's whole system, all its own: a Redis and a PostgreSQL server process, the
 * API and one or more workers as jars, on free loopback ports. Redis runs as run.sh runs
 * it (expiry events on), without persistence unless the setup asks for it. Everything is
 * registered with {@link Cleanup}, which a scenario's {@code @AfterAll} runs. The API runs
 * secure, with the keys of {@link LocalSecurity}. A setup {@link Setup#onCluster on a
 * cluster} gets a {@link PrivateRedisCluster} instead of the one Redis.
 */
final class Stack {

	static final String KEY_PREFIX = "rel";

	static final String DATABASE = "history";

	/**
	 * Rate limits on, as in production, with budgets no scenario exhausts: every client of
	 * the suite calls from 127.0.0.1, and the faults, not the limits, are under test.
	 */
	private static final List<String> UNTHROTTLED = List.of("--history.rate-limit.creates=1000000000",
			"--history.rate-limit.appends=1000000000", "--history.rate-limit.reads=1000000000",
			"--history.rate-limit.not-found=1000000000");

	/** The one Redis, {@code null} on a cluster. */
	final PrivateRedis redis;

	/** The cluster, {@code null} on one Redis. */
	final PrivateRedisCluster cluster;

	final PrivatePostgres postgres;

	final ServiceProcess api;

	final List<ServiceProcess> workers;

	/** In front of the workers' Redis connection when the setup asks for it, else null. */
	final TcpProxy workerRedisProxy;

	final Archive archive;

	private Stack(PrivateRedis redis, PrivateRedisCluster cluster, PrivatePostgres postgres, ServiceProcess api,
			List<ServiceProcess> workers, TcpProxy workerRedisProxy) {
		this.redis = redis;
		this.cluster = cluster;
		this.postgres = postgres;
		this.api = api;
		this.workers = workers;
		this.workerRedisProxy = workerRedisProxy;
		this.archive = new Archive(postgres.jdbcUrl(DATABASE));
	}

	static Stack start(String scenario, Setup setup) {
		Path logs = Path.of("target", "reliability-logs", scenario);
		deleteLogs(logs);
		PrivateRedis redis = null;
		PrivateRedisCluster cluster = null;
		String apiRedis;
		String workerRedis;
		TcpProxy proxy = null;
		if (setup.masters() > 0) {
			cluster = Cleanup.register(PrivateRedisCluster.start(setup.masters(), setup.replicas()));
			apiRedis = "--spring.data.redis.cluster.nodes=" + cluster.nodes();
			workerRedis = apiRedis;
		}
		else {
			List<String> redisArgs = new ArrayList<>(List.of("--notify-keyspace-events", "Ex"));
			redisArgs.addAll(setup.redisArgs());
			redis = Cleanup.register(PrivateRedis.start(redisArgs.toArray(String[]::new)));
			proxy = setup.proxiedWorkers() ? TcpProxy.to(redis.port()) : null;
			apiRedis = "--spring.data.redis.url=" + redis.url();
			workerRedis = (proxy != null) ? "--spring.data.redis.url=redis://127.0.0.1:" + proxy.port() : apiRedis;
		}
		PrivatePostgres postgres = Cleanup.register(PrivatePostgres.start());
		postgres.createDatabase(DATABASE);

		List<String> apiArgs = common(apiRedis, postgres.jdbcUrl(DATABASE));
		apiArgs.addAll(LocalSecurity.get().apiArgs());
		apiArgs.addAll(UNTHROTTLED);
		apiArgs.addAll(setup.apiArgs());
		ServiceProcess api = ServiceProcess.of("api", Jars.api(), freePort(), apiArgs, logs);
		List<ServiceProcess> workers = new ArrayList<>();
		for (int i = 1; i <= setup.workers(); i++) {
			List<String> args = common(workerRedis, postgres.jdbcUrl(DATABASE));
			args.add("--history.worker-id=worker-" + i);
			args.addAll(setup.workerArgs());
			workers.add(ServiceProcess.of("worker-" + i, Jars.worker(), freePort(), args, logs));
		}
		// Start together, wait together: start-up is most of a scenario's fixed cost.
		api.start();
		workers.forEach(ServiceProcess::start);
		api.awaitReady();
		workers.forEach(ServiceProcess::awaitReady);
		return new Stack(redis, cluster, postgres, api, workers, proxy);
	}

	/**
	 * A client as real ones call: it creates sessions as a user, acts on each with the access
	 * token its create answered, and checks as an admin.
	 */
	Api client() {
		LocalSecurity security = LocalSecurity.get();
		return new Api(this.api.baseUrl(), security.userToken(), security.adminToken());
	}

	ServiceProcess worker() {
		return this.workers.get(0);
	}

	/**
	 * The keys of sessions ({@code rel:{CODE}:…}) and of the due index ({@code rel:due…}) on
	 * the running masters; rate limit buckets and users' indexes outlive sessions by design.
	 */
	List<String> sessionKeysLeft() {
		List<String> left = new ArrayList<>();
		int[] masters = this.cluster.masterPorts();
		for (PrivateRedis node : this.cluster.servers()) {
			if (!node.isRunning() || Arrays.stream(masters).noneMatch((port) -> port == node.port())) {
				continue;
			}
			RedisClient client = RedisClient.create(node.url());
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				ScanCursor cursor = ScanCursor.INITIAL;
				do {
					KeyScanCursor<String> page = connection.sync()
						.scan(cursor, ScanArgs.Builder.matches(KEY_PREFIX + ":*").limit(1000));
					page.getKeys()
						.stream()
						.filter((key) -> key.startsWith(KEY_PREFIX + ":{") || key.startsWith(KEY_PREFIX + ":due"))
						.forEach(left::add);
					cursor = page;
				}
				while (!cursor.isFinished());
			}
			finally {
				client.shutdown();
			}
		}
		return left;
	}

	private static List<String> common(String redisArg, String jdbcUrl) {
		return new ArrayList<>(List.of(redisArg, "--spring.datasource.url=" + jdbcUrl,
				"--spring.datasource.username=postgres", "--history.key-prefix=" + KEY_PREFIX));
	}

	/** The previous run's logs of this scenario, so the files hold this run alone. */
	private static void deleteLogs(Path logs) {
		try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(logs)) {
			for (Path file : files.toList()) {
				java.nio.file.Files.delete(file);
			}
		}
		catch (java.nio.file.NoSuchFileException ex) {
			// first run
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * What a scenario needs.
	 *
	 * @param workers how many worker replicas
	 * @param proxiedWorkers whether the workers reach Redis through a {@link TcpProxy}
	 * @param redisArgs extra redis-server arguments
	 * @param workerArgs extra worker arguments
	 * @param apiArgs extra API arguments
	 * @param masters the masters of a Redis Cluster, 0 for one Redis
	 * @param replicas the replicas of each master
	 */
	record Setup(int workers, boolean proxiedWorkers, List<String> redisArgs, List<String> workerArgs,
			List<String> apiArgs, int masters, int replicas) {

		Setup(int workers, boolean proxiedWorkers, List<String> redisArgs, List<String> workerArgs,
				List<String> apiArgs) {
			this(workers, proxiedWorkers, redisArgs, workerArgs, apiArgs, 0, 0);
		}

		/** One worker, direct links, Redis without persistence. */
		static Setup standard() {
			return new Setup(1, false, List.of(), List.of(), List.of());
		}

		/** On a Redis Cluster of {@code masters} masters with {@code replicas} replicas each. */
		Setup onCluster(int masters, int replicas) {
			return new Setup(this.workers, false, List.of(), this.workerArgs, this.apiArgs, masters, replicas);
		}

		Setup withWorkers(int count) {
			return new Setup(count, this.proxiedWorkers, this.redisArgs, this.workerArgs, this.apiArgs, this.masters, this.replicas);
		}

		Setup withProxiedWorkers() {
			return new Setup(this.workers, true, this.redisArgs, this.workerArgs, this.apiArgs, this.masters, this.replicas);
		}

		Setup withRedisArgs(String... args) {
			return new Setup(this.workers, this.proxiedWorkers, List.of(args), this.workerArgs, this.apiArgs, this.masters, this.replicas);
		}

		Setup withWorkerArgs(String... args) {
			return new Setup(this.workers, this.proxiedWorkers, this.redisArgs, List.of(args), this.apiArgs, this.masters, this.replicas);
		}

		Setup withApiArgs(String... args) {
			return new Setup(this.workers, this.proxiedWorkers, this.redisArgs, this.workerArgs, List.of(args), this.masters, this.replicas);
		}

	}

}
