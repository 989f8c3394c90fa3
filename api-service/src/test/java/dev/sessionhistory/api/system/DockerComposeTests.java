package dev.sessionhistory.api.system;

import dev.sessionhistory.testsupport.ComposeFile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the api-service block of docker-compose.yml consistent with this service. */
class DockerComposeTests {

	private final ComposeFile compose = ComposeFile.load();

	@Test
	void everyVariableSetsAPropertyOfThisService() {
		assertThat(this.compose.unboundVariables("api-service")).isEmpty();
	}

	@Test
	void portsMatchTheServiceDefault() {
		assertThat(this.compose.portMismatches("api-service")).isEmpty();
	}

}
