package io.raftstore.web;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The web module's layers run one way (see the package comment): the REST API and the console share the
 * services and never reach into each other, and the services serve both without knowing either. Below
 * them, the whole module sees the node only through its boundary: the local interface
 * {@code io.raftstore.ejb.RaftStoreLocal} with its views ({@code io.raftstore.ejb.view}) and the API.
 */
class WebLayersTest {

    private static final JavaClasses WEB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.raftstore.web");

    @Test
    void restDoesNotUseTheConsole() {
        noClasses().that().resideInAPackage("io.raftstore.web.rest..")
                .should().dependOnClassesThat().resideInAPackage("io.raftstore.web.console..")
                .because("what REST and the console share lives in io.raftstore.web.service").check(WEB);
    }

    @Test
    void theConsoleDoesNotUseRest() {
        noClasses().that().resideInAPackage("io.raftstore.web.console..")
                .should().dependOnClassesThat().resideInAPackage("io.raftstore.web.rest..").check(WEB);
    }

    @Test
    void servicesKnowNeitherTheirUsers() {
        noClasses().that().resideInAPackage("io.raftstore.web.service..")
                .should().dependOnClassesThat().resideInAnyPackage("io.raftstore.web.rest..", "io.raftstore.web.console..")
                .check(WEB);
    }

    @Test
    void theWebSeesTheNodeOnlyThroughItsBoundary() {
        noClasses().that().resideInAPackage("io.raftstore.web..")
                .should().dependOnClassesThat().resideInAnyPackage("io.raftstore.core..", "io.raftstore.kv..",
                        "io.raftstore.node..", "io.raftstore.storage..", "io.raftstore.transport..")
                .because("the node's engine, state machine and storage are ejb-raft's business: the WAR uses"
                        + " RaftStoreLocal, io.raftstore.ejb.view and raftstore-api").check(WEB);
    }
}
