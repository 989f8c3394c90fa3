package dev.sessionhistory.api.system;

import org.apache.catalina.core.StandardHost;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

	/**
	 * Makes {@link ProblemErrorReportValve} the host's error report valve. The host adds it
	 * when it starts, after every valve configured before, Spring Boot's own included: as the
	 * innermost it reports first, and the others find the error reported.
	 */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
		return (factory) -> factory.addContextCustomizers((context) -> ((StandardHost) context.getParent())
			.setErrorReportValveClass(ProblemErrorReportValve.class.getName()));
	}

}
