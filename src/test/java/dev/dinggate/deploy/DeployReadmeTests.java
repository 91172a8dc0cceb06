package dev.dinggate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The README's deployment steps agree with the chart they deploy: a new operator who follows them
 * word for word builds, pushes and pulls the same image, and creates the Secret the values name.
 */
class DeployReadmeTests {

    private static final String README = MonitoringFiles.read(Path.of("README.md"));
    private static final Map<String, Object> PRODUCTION_VALUES =
            new Yaml().load(MonitoringFiles.read(Path.of("helm/dingtalk-gateway/examples/values-production.yaml")));
    private static final Map<String, Object> CHART =
            new Yaml().load(MonitoringFiles.read(Path.of("helm/dingtalk-gateway/Chart.yaml")));

    @Test
    void theSecretTheReadmeCreatesIsTheOneTheExampleValuesName() {
        List<String> created = all("kubectl create secret generic ([\\w.-]+)");

        assertThat(created).containsExactly((String)
                section(PRODUCTION_VALUES, "existingSecret").get("name"));
        // ...and with the keys the chart reads from it.
        Map<String, Object> keys = section(
                new Yaml().load(MonitoringFiles.read(Path.of("helm/dingtalk-gateway/values.yaml"))), "existingSecret");
        assertThat(README)
                .contains(
                        "--from-literal=" + keys.get("appSecretKey") + "=",
                        "--from-literal=" + keys.get("datasourceUsernameKey") + "=",
                        "--from-literal=" + keys.get("datasourcePasswordKey") + "=");
    }

    @Test
    void theImageTheReadmeBuildsAndPushesIsTheOneTheChartPulls() {
        Map<String, Object> image = section(PRODUCTION_VALUES, "image");
        String pulled = image.get("repository") + ":" + image.get("tag");

        assertThat(all("(?m)^docker build (?:--build-arg \\S+ )?-t (\\S+) \\."))
                .isNotEmpty()
                .containsOnly(pulled);
        assertThat(all("(?m)^docker push (\\S+)")).containsExactly(pulled);
        // The default values pull the chart's appVersion; the example pins the same tag.
        assertThat(image.get("tag")).isEqualTo(CHART.get("appVersion"));
    }

    @Test
    void theReadmeSaysWhichJavaAndKubernetesItNeeds() {
        assertThat(README)
                .contains(
                        "Java 21 or newer",
                        "UnsupportedClassVersionError",
                        "./mvnw -B -DskipTests package",
                        "CREATE DATABASE",
                        "CREATE ROLE");
        assertThat(CHART.get("kubeVersion")).isEqualTo(">=1.30.0-0");
        assertThat(README).containsPattern("Kubernetes 1\\.30 or\\s+newer");
    }

    private static List<String> all(String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(README);
        return matcher.results().map(result -> result.group(1)).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> values, String key) {
        return (Map<String, Object>) values.get(key);
    }
}
