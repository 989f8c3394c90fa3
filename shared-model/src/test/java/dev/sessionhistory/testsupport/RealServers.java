package dev.sessionhistory.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a Spring test class against real Redis and PostgreSQL servers ({@link TestServers}),
 * isolated from every other test class and from other users of the same servers: its own
 * database, created empty, and its own Redis key prefix ({@code history.key-prefix}). Both
 * are removed when the class's application context closes. The {@link Isolation} is a
 * bean of the context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface RealServers {

}
