package dev.hir.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares how stable a public type of the SPI is, in the manner of JUnit's {@code @API}.
 *
 * <p>{@link Status#STABLE} types change incompatibly only in a new major version; they may gain default
 * methods at any time, so implementations must not rely on the absence of a method.
 * {@link Status#EXPERIMENTAL} types may change in any release; plugins built on them should pin the
 * framework version.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.PACKAGE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
@API(status = API.Status.STABLE, since = "0.1")
public @interface API {

    /** The stability of the annotated element. */
    Status status();

    /** The framework version in which the element reached its current status. */
    String since() default "";

    /** Stability levels. */
    enum Status {
        /** Compatible within a major version. */
        STABLE,
        /** May change or disappear in any release. */
        EXPERIMENTAL
    }
}
