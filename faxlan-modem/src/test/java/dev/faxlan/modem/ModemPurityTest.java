package dev.faxlan.modem;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The modems take samples and time in and give bits and events out: no I/O, no clock, no threads. */
@AnalyzeClasses(packages = "dev.faxlan.modem", importOptions = ImportOption.DoNotIncludeTests.class)
class ModemPurityTest {

    @ArchTest
    static final ArchRule modemsUseOnlyLangAndCollections = classes()
            .that().resideInAPackage("dev.faxlan.modem..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java.lang", "java.lang.invoke", "java.util",
                    "dev.faxlan.modem..")
            .because("a modem is fed samples and counts time in samples; I/O and clocks belong to the line around it");
}
