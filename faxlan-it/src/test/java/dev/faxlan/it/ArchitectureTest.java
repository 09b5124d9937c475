package dev.faxlan.it;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency arrows of STYLE.md, checked on the main classes of every module on this module's
 * test classpath: cli → sdk → protocol; server → engine, storage, protocol; the engine on nothing.
 */
@AnalyzeClasses(packages = "dev.faxlan", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule protocolDependsOnNoOtherFaxlanPackage = noClasses()
            .that().resideInAPackage("dev.faxlan.protocol..")
            .should().dependOnClassesThat(resideInAPackage("dev.faxlan..").and(not(resideInAPackage("dev.faxlan.protocol.."))))
            .because("the CPI codec is pure functions over bytes that every other module builds on");

    @ArchTest
    static final ArchRule protocolDoesNotUseNetty = noClasses()
            .that().resideInAPackage("dev.faxlan.protocol..")
            .should().dependOnClassesThat().resideInAPackage("io.netty..")
            .because("wire formats are kept apart from the transport that carries them");

    @ArchTest
    static final ArchRule engineDependsOnlyOnTheJdk = classes()
            .that().resideInAPackage("dev.faxlan.engine..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.faxlan.engine..")
            .because("the fax engine takes frames and time in and gives frames and events out, and does no I/O of its own")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule sdkDoesNotDependOnTheServer = noClasses()
            .that().resideInAPackage("dev.faxlan.sdk..")
            .should().dependOnClassesThat().resideInAPackage("dev.faxlan.server..")
            .because("clients reach the server only through CPI");

    @ArchTest
    static final ArchRule serverDoesNotDependOnClients = noClasses()
            .that().resideInAPackage("dev.faxlan.server..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.faxlan.sdk..", "dev.faxlan.cli..")
            .because("dependencies point one way: the command line and the SDK use the server, never the reverse");
}
