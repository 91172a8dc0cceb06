package dev.dinggate.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The package boundaries the package-info files describe, checked on the compiled main classes. */
class BoundaryTests {

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.dinggate");

    @Test
    void featurePackagesDoNotDependOnEachOtherInCycles() {
        slices().matching("dev.dinggate.(*)..").should().beFreeOfCycles().check(GATEWAY);
    }

    @Test
    void dingTalksWireFormatStaysInsideTheAdapter() {
        classes()
                .that()
                .resideInAPackage("dev.dinggate.dingtalk.internal..")
                .should()
                .onlyBeAccessed()
                .byAnyPackage("dev.dinggate.dingtalk..")
                .check(GATEWAY);
    }

    @Test
    void theAuditTrailLearnsOutcomesWithoutTheWebLayer() {
        noClasses()
                .that()
                .resideInAPackage("dev.dinggate.audit..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.dinggate.web..")
                .check(GATEWAY);
    }

    @Test
    void theAuditTrailReadsOutcomesFromProblemsNotFromDingTalksFailureKinds() {
        // The feature that made the call translates DingTalk's failure once (GatewayProblemException, which says
        // whether the change may have been applied); the audit trail does not sort failure kinds again.
        noClasses()
                .that()
                .resideInAPackage("dev.dinggate.audit..")
                .should()
                .dependOnClassesThat()
                .haveNameMatching("dev\\.dinggate\\.dingtalk\\.DingTalkException\\$.*")
                .check(GATEWAY);
    }

    @Test
    void problemsDependOnNoFeature() {
        noClasses()
                .that()
                .resideInAPackage("dev.dinggate.problem..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.dinggate.web..",
                        "dev.dinggate.audit..",
                        "dev.dinggate.orgaccount..",
                        "dev.dinggate.contact..",
                        "dev.dinggate.security..",
                        "dev.dinggate.idempotency..",
                        "dev.dinggate.reconciliation..",
                        "dev.dinggate.directory..")
                .check(GATEWAY);
    }

    @Test
    void theDirectoryReadsDingTalkThroughTheFacadeAndKnowsNoFeature() {
        // Features read the mirror (DirectoryReads) and write their changes through (MirrorWriteThrough); the
        // mirror itself only reads DingTalk and receives its events.
        noClasses()
                .that()
                .resideInAPackage("dev.dinggate.directory..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.dinggate.contact..",
                        "dev.dinggate.orgaccount..",
                        "dev.dinggate.batch..",
                        "dev.dinggate.audit..",
                        "dev.dinggate.reconciliation..",
                        "dev.dinggate.idempotency..")
                .check(GATEWAY);
    }

    @Test
    void theStreamProtocolStaysInsideTheAdapter() {
        // Features see DingTalkEvent, DingTalkEventListener and StreamStatus, nothing of frames or connections.
        classes()
                .that()
                .resideInAPackage("dev.dinggate.dingtalk.stream..")
                .and()
                .areNotInterfaces()
                .and()
                .doNotHaveSimpleName("DingTalkEvent")
                .and()
                .doNotHaveSimpleName("StreamStatus")
                .and()
                .doNotHaveSimpleName("Acknowledgement")
                .should()
                .onlyBeAccessed()
                .byAnyPackage("dev.dinggate.dingtalk..")
                .check(GATEWAY);
    }

    @Test
    void reconciliationReadsDingTalkThroughTheFacadeAndWritesThroughTheAuditTrailOnly() {
        // Features hand it facts (Settlements); whatever waits on a settled change listens for
        // audit.ChangeReconciled. Neither is reached into from here.
        noClasses()
                .that()
                .resideInAPackage("dev.dinggate.reconciliation..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.dinggate.web..",
                        "dev.dinggate.security..",
                        "dev.dinggate.contact..",
                        "dev.dinggate.orgaccount..",
                        "dev.dinggate.batch..")
                .check(GATEWAY);
    }

    @Test
    void featuresDoNotReachIntoEachOther() {
        noClasses()
                .that()
                .resideInAPackage("dev.dinggate.orgaccount..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.dinggate.contact..")
                .check(GATEWAY);
        noClasses()
                .that()
                .resideInAPackage("dev.dinggate.contact..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.dinggate.orgaccount..")
                .check(GATEWAY);
    }

    @Test
    void batchesUseTheFeaturesAndNoFeatureKnowsOfBatches() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.dinggate.orgaccount..",
                        "dev.dinggate.contact..",
                        "dev.dinggate.audit..",
                        "dev.dinggate.dingtalk..",
                        "dev.dinggate.budget..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.dinggate.batch..")
                .check(GATEWAY);
    }
}
