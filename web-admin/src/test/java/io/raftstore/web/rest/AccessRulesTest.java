package io.raftstore.web.rest;

import io.raftstore.web.security.Access;
import io.raftstore.web.security.ApiRole;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may call each REST route, as the contract says: the key-value API needs reader (GET) or writer (PUT,
 * DELETE), cluster changes need admin, and only the cluster's status and history are open. The filter refuses
 * a method without a rule; this test finds such a method before a user does.
 */
class AccessRulesTest {

    private static final Map<Class<? extends Annotation>, ApiRole> KV = Map.of(GET.class, ApiRole.READER,
            PUT.class, ApiRole.WRITER, DELETE.class, ApiRole.WRITER);

    /** Every resource method of the REST package, found from the classes that carry {@code @Path}. */
    private static List<Method> resourceMethods() {
        List<Method> methods = new ArrayList<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.raftstore.web.rest")) {
            if (c.isAnnotatedWith(Path.class)) {
                Arrays.stream(c.reflect().getDeclaredMethods()).filter(AccessRulesTest::isResourceMethod)
                        .forEach(methods::add);
            }
        }
        return methods;
    }

    private static boolean isResourceMethod(Method m) {
        return Arrays.stream(m.getAnnotations()).anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class));
    }

    private static Class<? extends Annotation> verb(Method m) {
        return Arrays.stream(m.getAnnotations()).map(Annotation::annotationType)
                .filter(t -> t.isAnnotationPresent(HttpMethod.class)).findFirst().orElseThrow();
    }

    @Test
    void everyResourceMethodSaysWhoMayCallIt() {
        List<Method> methods = resourceMethods();
        assertFalse(methods.isEmpty(), "no resource methods found");
        for (Method m : methods) {
            assertTrue(m.isAnnotationPresent(Access.class), m + " has no @Access rule: the filter refuses it");
        }
    }

    @Test
    void theKeyValueApiNeedsReaderToReadAndWriterToWrite() {
        int checked = 0;
        for (Method m : resourceMethods()) {
            if (m.getDeclaringClass() == KvResource.class) {
                assertEquals(KV.get(verb(m)), m.getAnnotation(Access.class).value(), m.toString());
                checked++;
            }
        }
        assertEquals(1, checked, "the scan (single keys are KeyRequests')");
        assertEquals(Map.of("GET", ApiRole.READER, "HEAD", ApiRole.READER, "PUT", ApiRole.WRITER,
                "DELETE", ApiRole.WRITER), KeyRequests.ROLES, "single keys: reader reads, writer writes");
    }

    /** Prepared transactions show keys, and resolving one decides a transaction's outcome. */
    @Test
    void preparedTransactionsAreForAdminsOnly() {
        List<Method> routes = resourceMethods().stream().filter(m -> m.getDeclaringClass() == TransactionsResource.class)
                .toList();
        assertEquals(3, routes.size(), "list, commit and rollback");
        for (Method m : routes) {
            assertEquals(ApiRole.ADMIN, m.getAnnotation(Access.class).value(), m.toString());
        }
    }

    /** The audit list names users and their addresses: like every cluster change, it is for admins. */
    @Test
    void onlyStatusAndHistoryAreOpenAndEveryClusterChangeNeedsAdmin() {
        for (Method m : resourceMethods()) {
            if (m.getDeclaringClass() == ClusterResource.class) {
                boolean audit = "audit".equals(m.getAnnotation(Path.class).value());
                ApiRole expected = verb(m) == GET.class && !audit ? ApiRole.ANYONE : ApiRole.ADMIN;
                assertEquals(expected, m.getAnnotation(Access.class).value(), m.toString());
            }
        }
        List<String> open = resourceMethods().stream().filter(m -> m.getAnnotation(Access.class).value() == ApiRole.ANYONE)
                .map(m -> m.getAnnotation(Path.class).value()).sorted().toList();
        assertEquals(List.of("history", "reachability", "status"), open);
        assertTrue(resourceMethods().stream().filter(m -> verb(m) == POST.class)
                .allMatch(m -> m.getAnnotation(Access.class).value() == ApiRole.ADMIN));
    }
}
