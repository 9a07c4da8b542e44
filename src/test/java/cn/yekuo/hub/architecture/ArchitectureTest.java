package cn.yekuo.hub.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** docs/architecture.md as rules: one-way package arrows, a plain domain, SQL only in repositories and read models. */
class ArchitectureTest {

    private static final JavaClasses HUB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("cn.yekuo.hub");

    @Test
    void packagesDependOnEachOtherOneWayOnly() {
        slices().matching("cn.yekuo.hub.(*)..").should().beFreeOfCycles().check(HUB);
    }

    @Test
    void theDomainIsPlainJava() {
        noClasses().that().resideInAPackage("cn.yekuo.hub.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.camel..",
                        "jakarta..", "javax..", "com.fasterxml..", "java.sql..")
                .orShould().dependOnClassesThat().resideOutsideOfPackages("cn.yekuo.hub.domain..", "java..", "org.yaml.snakeyaml..")
                .check(HUB);
    }

    @Test
    void sqlLivesInRepositoriesAndTheReadModels() {
        noClasses().that().areNotAnnotatedWith(Repository.class).and().resideOutsideOfPackage("cn.yekuo.hub.queries..")
                .should().dependOnClassesThat().areAssignableTo(JdbcOperations.class)
                .orShould().dependOnClassesThat().areAssignableTo(NamedParameterJdbcOperations.class)
                .orShould().dependOnClassesThat().areAssignableTo(JdbcClient.class)
                .because("each feature's tables are read and written by its repositories (docs/architecture.md)")
                .check(HUB);
    }

    @Test
    void repositoriesAreNotReachedFromTheWeb() {
        classes().that().resideInAPackage("cn.yekuo.hub.web..")
                .should().onlyDependOnClassesThat().resideOutsideOfPackage("org.springframework.jdbc..")
                .check(HUB);
    }

    @Test
    void noPackageHoldsMoreThanTwentyFiles() throws IOException {
        Path root = Path.of("src/main/java/cn/yekuo/hub");
        Map<String, Long> sizes;
        try (Stream<Path> files = Files.walk(root)) {
            sizes = files.filter(p -> p.toString().endsWith(".java"))
                    .collect(Collectors.groupingBy(p -> root.relativize(p.getParent()).toString(), TreeMap::new, Collectors.counting()));
        }
        assertThat(sizes).isNotEmpty().allSatisfy((pkg, n) -> assertThat(n).as(pkg).isLessThanOrEqualTo(20));
    }

    @Test
    void configurationIsTypedAndTestsDoNotSleep() throws IOException {
        assertThat(grep(Path.of("src/main/java"), "@Value(")).as("@Value in src/main (use HubProperties)").isEmpty();
        assertThat(grep(Path.of("src/test/java"), "Thread." + "sleep")).as("sleeps in src/test (wait for a fact instead)").isEmpty();
    }

    private static java.util.List<String> grep(Path root, String needle) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readString(p).contains(needle);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(Path::toString).toList();
        }
    }
}
