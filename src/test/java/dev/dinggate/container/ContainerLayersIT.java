package dev.dinggate.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/**
 * Runs the Dockerfile's layer extraction ({@code docker/extract-layers.sh}) on the jar this build just
 * packaged, copies the layers together as the image's COPY steps do, and starts the result: a broken
 * layer step fails {@code ./mvnw verify} even where no Docker engine exists.
 */
class ContainerLayersIT {

    private static final Path JAVA =
            Path.of(ProcessHandle.current().info().command().orElseThrow());

    @Test
    void extractedLayersHoldTheApplicationAndStartIt(@TempDir Path work) throws Exception {
        Path jar = packagedJar();
        Path extracted = work.resolve("extracted");

        run(List.of("sh", "docker/extract-layers.sh", jar.toString(), extracted.toString()), Path.of("."));

        try (Stream<Path> dependencies = Files.list(extracted.resolve("dependencies/lib"))) {
            assertThat(dependencies.map(path -> path.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("spring-core-"))
                    .anyMatch(name -> name.startsWith("caffeine-"));
        }
        // Extracted without --launcher, the app starts with java -jar and the loader layer stays empty.
        assertThat(extracted.resolve("spring-boot-loader")).isDirectory();
        assertThat(extracted.resolve("application").resolve(jar.getFileName())).isRegularFile();

        Path image = work.resolve("application");
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            copyInto(extracted.resolve(layer), image);
        }
        // The same start the image's training run makes: the context comes up, then the JVM exits.
        run(
                List.of(
                        JAVA.toString(),
                        "-Dspring.context.exit=onRefresh",
                        "-jar",
                        jar.getFileName().toString(),
                        "--server.port=0",
                        "--management.server.port=0",
                        "--spring.datasource.url=jdbc:h2:mem:layers"),
                image);
    }

    private static Path packagedJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(path -> path.getFileName().toString().matches("dingtalk-account-gateway-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no packaged jar in target/"));
        }
    }

    private static void run(List<String> command, Path directory) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        // The script calls `java`: make it the JDK this build runs on, as the image's is.
        builder.environment().put("PATH", JAVA.getParent() + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS))
                .as(String.join(" ", command))
                .isTrue();
        assertThat(process.exitValue())
                .as(String.join(" ", command) + "\n" + output)
                .isZero();
    }

    private static void copyInto(Path layer, Path image) throws IOException {
        Files.createDirectories(image);
        FileSystemUtils.copyRecursively(layer, image);
    }
}
