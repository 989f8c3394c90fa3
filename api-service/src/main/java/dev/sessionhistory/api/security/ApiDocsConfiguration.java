package dev.sessionhistory.api.security;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tells the API's description ({@code /v3/api-docs}, Swagger UI) how calls authenticate,
 * as {@link SecurityConfiguration} decides it: a security scheme {@value #BEARER} (HTTP
 * bearer, JWT) required by every operation, optional for {@code POST /sessions} (anyone may
 * create with a generated code; a chosen code needs a user token). In open mode no
 * operation needs it, and the description says none. Turned off with the rest of the
 * documentation by {@code springdoc.api-docs.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

	/** The name of the security scheme in the description. */
	static final String BEARER = "bearer";

	@Bean
	OpenApiCustomizer bearerAuthentication(SecuritySettings settings) {
		return (openApi) -> {
			if (settings.mode() == SecuritySettings.Mode.OPEN) {
				return;
			}
			if (openApi.getComponents() == null) {
				openApi.setComponents(new Components());
			}
			openApi.getComponents()
				.addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
					.scheme("bearer")
					.bearerFormat("JWT")
					.description("A user's token from the identity provider, or a session access token "
							+ "(the accessToken of POST /sessions and POST /sessions/{code}/tokens)"));
			SecurityRequirement bearer = new SecurityRequirement().addList(BEARER);
			if (openApi.getPaths() == null) {
				return;
			}
			openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
				boolean create = "/sessions".equals(path) && method == PathItem.HttpMethod.POST;
				// an empty requirement is "no token", so a create takes either
				operation.setSecurity(create ? List.of(new SecurityRequirement(), bearer) : List.of(bearer));
			}));
		};
	}

}
