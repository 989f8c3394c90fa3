package dev.sessionhistory.api.ratelimit;

import dev.sessionhistory.api.system.HistoryProperties;
import dev.sessionhistory.model.RedisKeys;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The rate limits per caller, unless {@code history.rate-limit.enabled} is {@code false}:
 * the buckets, their background synchronisation (on Spring's scheduler) and the filter.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "history.rate-limit.enabled", matchIfMissing = true)
class RateLimitConfiguration {

	/**
	 * Spring Security's filter chain is registered at order -100; the limits come after it
	 * so that they see the authenticated user.
	 */
	static final int ORDER = 0;

	@Bean
	RateLimitRedis rateLimitRedis(LettuceConnectionFactory connectionFactory) {
		return new RateLimitRedis(connectionFactory);
	}

	@Bean
	CallerBuckets callerBuckets(RateLimitRedis rateLimitRedis, RedisKeys keys, HistoryProperties properties) {
		return new CallerBuckets(rateLimitRedis, keys, properties.rateLimit());
	}

	@Bean
	FilterRegistrationBean<RateLimitFilter> rateLimitFilter(CallerBuckets callerBuckets, MeterRegistry registry) {
		FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(
				new RateLimitFilter(callerBuckets, registry));
		registration.setOrder(ORDER);
		return registration;
	}

}
