package dev.sessionhistory.api.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Spring's scheduler runs the API's background work: the rate limits' synchronisation and
 * the archive cache's erasure feed (two threads, {@code spring.task.scheduling.pool.size}).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SchedulingConfiguration {

}
