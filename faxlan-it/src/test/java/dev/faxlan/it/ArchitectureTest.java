package dev.faxlan.it;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;

/**
 * The dependency arrows of STYLE.md, checked on the main classes of every module on this module's
 * test classpath: launcher → cli → sdk → protocol; launcher → server → engine, storage, protocol; the engine on the pure modems only.
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
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.faxlan.engine..", "dev.faxlan.modem..")
            .because("the fax engine (and the modems it puts on audio) takes frames, samples and time in and gives frames, samples and events out, and does no I/O of its own")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule sdkDoesNotDependOnTheServer = noClasses()
            .that().resideInAPackage("dev.faxlan.sdk..")
            .should().dependOnClassesThat().resideInAPackage("dev.faxlan.server..")
            .because("clients reach the server only through CPI");

    @ArchTest
    static final ArchRule cliDoesNotDependOnTheServer = noClasses()
            .that().resideInAPackage("dev.faxlan.cli..")
            .should().dependOnClassesThat().resideInAPackage("dev.faxlan.server..")
            .because("the client commands reach the server only through the SDK; 'server' and 'demo' live in the launcher");

    @ArchTest
    static final ArchRule mailGatewaysDoNotDependOnTheServer = noClasses()
            .that().resideInAPackage("dev.faxlan.mail..")
            .should().dependOnClassesThat().resideInAPackage("dev.faxlan.server..")
            .because("every gateway is a CPI client on the SDK, never a back door into the server");

    @ArchTest
    static final ArchRule webDoesNotDependOnTheServer = noClasses()
            .that().resideInAPackage("dev.faxlan.web..")
            .should().dependOnClassesThat().resideInAPackage("dev.faxlan.server..")
            .because("the web process is a CPI client on the SDK: each browser session and API key is a CPI session of its user");

    /**
     * The core of the server is everything but its CPI adapter ({@code dev.faxlan.server.cpi}), so that
     * other doors can be added beside CPI. Named exceptions, each to be removed as the core is reshaped:
     * {@code FaxlanServer} is the composition root that starts the CPI adapter; {@code ServerConfig}
     * carries the adapter's {@code CpiLimits}.
     */
    @ArchTest
    static final ArchRule coreDependsOnNeitherNettyNorTheCpiAdapter = noClasses()
            .that().resideInAPackage("dev.faxlan.server..").and().resideOutsideOfPackage("dev.faxlan.server.cpi..")
            .and(not(belongToAnyOf(FaxlanServer.class, ServerConfig.class)))
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "dev.faxlan.server.cpi..")
            .because("the application core is transport-neutral: CPI over QUIC is one adapter of it");

    /** The use cases themselves know no wire format either: a door translates its requests into their records. */
    @ArchTest
    static final ArchRule useCasesKnowNoWire = noClasses()
            .that().resideInAPackage("dev.faxlan.server.core..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.faxlan.protocol..", "io.netty..", "dev.faxlan.server.cpi..")
            .because("SMTP, REST, IPP and HylaFAX doors call the same use cases as CPI does");

    /** A port speaks the core's records, so a second implementation (PostgreSQL, another node) needs nothing of the first. */
    @ArchTest
    static final ArchRule portsSpeakTheCoresRecords = noClasses()
            .that().resideInAPackage("dev.faxlan.server.core.port..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.faxlan.server.storage..", "dev.faxlan.server.spool..", "dev.faxlan.server.events..")
            .because("the implementations depend on the ports, never the reverse");

    @ArchTest
    static final ArchRule serverDoesNotDependOnClients = noClasses()
            .that().resideInAPackage("dev.faxlan.server..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.faxlan.sdk..", "dev.faxlan.cli..")
            .because("dependencies point one way: the command line and the SDK use the server, never the reverse");
}
