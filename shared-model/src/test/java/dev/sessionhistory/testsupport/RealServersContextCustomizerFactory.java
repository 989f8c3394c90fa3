package dev.sessionhistory.testsupport;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Gives each {@link RealServers @RealServers} test class its own database and key prefix.
 * Registered in {@code META-INF/spring.factories}.
 */
class RealServersContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		boolean annotated = TestContextAnnotationUtils.hasAnnotation(testClass, RealServers.class);
		return annotated ? new Customizer(testClass) : null;
	}

	/** Equal per test class, so each class gets a context (and servers share) of its own. */
	private record Customizer(Class<?> testClass) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			TestServers servers = TestServers.get();
			String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
			String name = this.testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
			String database = "sh_test_" + name.substring(0, Math.min(name.length(), 30)) + "_" + suffix;
			Isolation isolation = new Isolation(servers, database, "t" + suffix);
			servers.createDatabase(database);

			Map<String, Object> properties = new HashMap<>();
			properties.put("spring.datasource.url", isolation.jdbcUrl());
			properties.put("spring.datasource.username", servers.username());
			properties.put("spring.datasource.password", servers.password());
			properties.putAll(servers.redisProperties());
			properties.put("history.key-prefix", isolation.keyPrefix());
			context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("realServers", properties));

			DefaultListableBeanFactory beans = (DefaultListableBeanFactory) context.getBeanFactory();
			beans.registerSingleton("realServersIsolation", isolation);
			// Registered first, so destroyed last: after the pools that use the database.
			beans.registerDisposableBean("realServersCleanup", (DisposableBean) isolation::cleanUp);
		}

	}

}
