package dev.dinggate.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dinggate.problem.GatewayProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's error table names every problem of the catalogue, and nothing else, with the catalogue's status. */
class ErrorTableTests {

    private static final Pattern CODE = Pattern.compile("`([a-z-]+\\.[a-z-]+)`");

    @Test
    void theReadmesErrorTableIsTheCatalogue() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String section =
                readme.substring(readme.indexOf("### Errors"), readme.indexOf("\n## ", readme.indexOf("### Errors")));
        Set<String> inTable = new TreeSet<>();
        section.lines()
                .filter(line -> line.startsWith("| ") && !line.startsWith("| cause"))
                .forEach(line -> {
                    String[] cells = line.split("\\|");
                    String status = cells[2].trim();
                    Matcher codes = CODE.matcher(cells[3]);
                    while (codes.find()) {
                        String code = codes.group(1);
                        inTable.add(code);
                        GatewayProblem problem = GatewayProblem.byCode(code)
                                .orElseThrow(() ->
                                        new AssertionError("README names " + code + ", which the catalogue lacks"));
                        if (problem != GatewayProblem.REQUEST_REJECTED && problem != GatewayProblem.REQUEST_MALFORMED) {
                            // request.rejected keeps the status it was refused with; request.malformed also shares a
                            // row.
                            assertThat(status)
                                    .as(code)
                                    .isEqualTo(Integer.toString(problem.status().value()));
                        }
                    }
                });

        assertThat(inTable)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(GatewayProblem.values())
                        .map(GatewayProblem::code)
                        .toList());
    }
}
