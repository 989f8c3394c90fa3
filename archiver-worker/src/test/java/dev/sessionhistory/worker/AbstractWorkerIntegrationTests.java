package dev.sessionhistory.worker;

import dev.sessionhistory.model.RedisKeys;
import dev.sessionhistory.testsupport.RealServers;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A worker of the test class's own on real servers ({@link RealServers}): the subclass's
 * {@code @SpringBootTest} starts it, with the properties that test needs. Beside it, what
 * a test uses to write sessions as the API does and to judge the worker: the archive
 * rows and the worker's meters.
 */
@RealServers
@Import(RowsConfiguration.class)
public abstract class AbstractWorkerIntegrationTests {

	@Autowired
	protected StringRedisTemplate redis;

	@Autowired
	protected RedisKeys keys;

	@Autowired
	protected ArchiveRows rows;

	@Autowired
	protected MeterRegistry meters;

	/** Writes sessions under the worker's key prefix. */
	protected SessionWriter writer() {
		return new SessionWriter(this.redis, this.keys);
	}

}
