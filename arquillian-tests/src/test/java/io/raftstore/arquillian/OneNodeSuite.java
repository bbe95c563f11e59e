package io.raftstore.arquillian;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test of the one-node suite: it runs only against the one-node test server (container
 * {@code liberty-managed}; the test JVM and the server both have the property). {@code -Dit.test} selects classes
 * in both of the module's suites, and these tests fail in the member server, which is one node of three.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "liberty-managed")
@interface OneNodeSuite {
}
