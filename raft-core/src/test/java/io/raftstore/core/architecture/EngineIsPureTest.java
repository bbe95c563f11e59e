package io.raftstore.core.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.Timer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The engine is a deterministic library (docs/architecture.md): everything it knows arrives as a tick, a
 * message or a request, and everything it does leaves in a Ready. So its production classes use no
 * container, transport, database, thread, clock, socket or file — the rule the simulations depend on, since
 * a hidden clock or thread would make a seed stop replaying.
 */
class EngineIsPureTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.raftstore.core");

    @Test
    void noContainerTransportOrDatabase() {
        check(noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "jakarta..", "javax..", "org.jgroups..", "org.h2..", "java.sql..", "io.raftstore.node..",
                "io.raftstore.storage..", "io.raftstore.kv..", "io.raftstore.transport..", "io.raftstore.ejb..",
                "io.raftstore.web..", "io.raftstore.jca.."));
    }

    @Test
    void noThreadsClocksSocketsOrFiles() {
        check(noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "java.util.concurrent..", "java.time..", "java.net..", "java.nio.channels..", "java.nio.file..")
                .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
                .orShould().dependOnClassesThat().belongToAnyOf(File.class, Timer.class)
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "currentTimeMillis"));
    }

    private static void check(ArchRule rule) {
        rule.because("raft-core must stay a deterministic library (docs/architecture.md)").check(ENGINE);
    }
}
