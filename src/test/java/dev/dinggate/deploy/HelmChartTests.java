package dev.dinggate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.dinggate.directory.DirectoryProperties;
import java.io.IOException;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart, linted (strict) and rendered offline by helm-java's bundled Helm, checked against
 * what the application and its image really do: ports, probe paths, user, secrets.
 */
class HelmChartTests {

    private static final Path CHART = Path.of("helm/dingtalk-gateway");
    private static final Path PRODUCTION_VALUES = CHART.resolve("examples/values-production.yaml");

    @Test
    void chartLintsCleanInStrictMode() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void probesUseTheManagementPortAndHealthGroupsTheApplicationServes() throws IOException {
        Map<String, Object> container = container(render(null));
        Map<String, Object> application = applicationYaml();

        assertThat(value(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(value(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat(value(container, "startupProbe", "httpGet", "port")).isEqualTo("management");
        assertThat(value(container, "livenessProbe", "httpGet", "port")).isEqualTo("management");
        assertThat(value(container, "readinessProbe", "httpGet", "port")).isEqualTo("management");
        assertThat(containerPort(container, "management"))
                .isEqualTo(value(application, "management", "server", "port"));
        assertThat(containerPort(container, "http")).isEqualTo(value(application, "server", "port"));
        assertThat(value(application, "management", "endpoint", "health", "probes", "enabled"))
                .isEqualTo(true);
    }

    @Test
    void appSecretIsReferencedFromAnExistingSecretNeverRendered() throws IOException {
        List<Map<String, Object>> manifests = render(null);

        assertThat(manifests).noneMatch(manifest -> "Secret".equals(manifest.get("kind")));
        Map<String, Object> configMap = ofKind(manifests, "ConfigMap");
        assertThat(((Map<?, ?>) configMap.get("data")).keySet())
                .noneMatch(key ->
                        key.toString().contains("SECRET") || key.toString().contains("PASSWORD"));
        Map<String, Object> appSecret = env(container(manifests), "DINGTALK_APP_SECRET");
        assertThat(value(appSecret, "valueFrom", "secretKeyRef", "name")).isEqualTo("dingtalk-gateway");
        assertThat(appSecret).doesNotContainKey("value");
    }

    @Test
    void podsRunAsTheImagesNonRootUserOnAReadOnlyRootFilesystem() throws IOException {
        List<Map<String, Object>> manifests = render(null);
        Map<String, Object> pod = path(ofKind(manifests, "Deployment"), "spec", "template", "spec");
        Map<String, Object> container = container(manifests);

        assertThat(value(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat(value(container, "securityContext", "readOnlyRootFilesystem"))
                .isEqualTo(true);
        assertThat(value(container, "securityContext", "allowPrivilegeEscalation"))
                .isEqualTo(false);
        assertThat(List.of(container.get("volumeMounts")).toString()).contains("mountPath=/tmp");
        String user = value(pod, "securityContext", "runAsUser").toString();
        assertThat(Files.readString(Path.of("Dockerfile"))).contains("USER " + user + ":" + user);
    }

    @Test
    void defaultsRenderTwoReplicasRollingWithBudgetAndNetworkPolicyAndNoAutoscaler() throws IOException {
        List<Map<String, Object>> manifests = render(null);

        assertThat(manifests)
                .extracting(manifest -> manifest.get("kind"))
                .contains(
                        "Deployment", "Service", "ConfigMap", "ServiceAccount", "PodDisruptionBudget", "NetworkPolicy")
                .doesNotContain("Ingress", "ServiceMonitor", "HorizontalPodAutoscaler");
        assertThat(value(ofKind(manifests, "Deployment"), "spec", "replicas")).isEqualTo(2);
        assertThat(value(ofKind(manifests, "Deployment"), "spec", "strategy", "type"))
                .isEqualTo("RollingUpdate");
    }

    @Test
    void everyPodDrawsFromTheAppsWholeBudgetAndKnowsItsShareForAFallback() throws IOException {
        Map<?, ?> defaults = (Map<?, ?>) ofKind(render(null), "ConfigMap").get("data");
        List<Map<String, Object>> production = render(PRODUCTION_VALUES);
        Map<?, ?> productionConfig = (Map<?, ?>) ofKind(production, "ConfigMap").get("data");

        // No static split: each pod is given DingTalk's whole quota, which the database shares among them.
        assertThat(defaults.get("DINGTALK_RATE_LIMIT_QPS")).isEqualTo("20");
        assertThat(productionConfig.get("DINGTALK_RATE_LIMIT_QPS")).isEqualTo("20");
        // The most pods that can run: two replicas by default, the autoscaler's eight in the production example.
        assertThat(defaults.get("DINGTALK_RATE_LIMIT_FALLBACK_REPLICAS")).isEqualTo("2");
        assertThat(productionConfig.get("DINGTALK_RATE_LIMIT_FALLBACK_REPLICAS"))
                .isEqualTo("8");
        assertThat(value(ofKind(production, "HorizontalPodAutoscaler"), "spec", "maxReplicas"))
                .isEqualTo(8);
        assertThat(value(ofKind(production, "Deployment"), "spec", "replicas"))
                .as("left to the autoscaler")
                .isNull();
        // An API's own quota reaches dingtalk.rate-limit.per-api with its name intact.
        assertThat(defaults.get("SPRING_APPLICATION_JSON")).isNull();
        assertThat(productionConfig.get("SPRING_APPLICATION_JSON"))
                .isEqualTo("{\"dingtalk\":{\"rate-limit\":{\"per-api\":{\"contact.user.list\":40}}}}");
    }

    @Test
    void theApiDocsAreOnByDefaultAndOneValueSwitchesThemOff() {
        Map<?, ?> defaults = (Map<?, ?>) ofKind(render(null), "ConfigMap").get("data");
        Map<?, ?> switchedOff =
                (Map<?, ?>) ofKind(renderWith(template -> template.set("config.apiDocsEnabled", false)), "ConfigMap")
                        .get("data");

        assertThat(defaults.get("SPRINGDOC_API_DOCS_ENABLED")).isEqualTo("true");
        assertThat(defaults.get("SPRINGDOC_SWAGGER_UI_ENABLED")).isEqualTo("true");
        assertThat(switchedOff.get("SPRINGDOC_API_DOCS_ENABLED")).isEqualTo("false");
        assertThat(switchedOff.get("SPRINGDOC_SWAGGER_UI_ENABLED")).isEqualTo("false");
    }

    @Test
    void theDirectoryAndItsEventStreamRenderTheApplicationsDefaultsUntilValuesChangeThem() throws IOException {
        Map<?, ?> defaults = (Map<?, ?>) ofKind(render(null), "ConfigMap").get("data");
        Map<?, ?> changed = (Map<?, ?>) ofKind(
                        renderWith(template -> template.set("config.directory.enabled", false)
                                .set("config.directory.storeContactFields", true)
                                .set("config.directory.staleAfter", "12h")
                                .set("config.directory.readCacheTime", "0s")
                                .set("config.dingtalkStreamEnabled", false)),
                        "ConfigMap")
                .get("data");

        // Each rendered setting defaults to what the application itself would do in the production profile.
        Map<String, String> applicationDefaults = directoryDefaults();
        for (String setting :
                List.of("enabled", "storeContactFields", "fullSyncInterval", "staleAfter", "readCacheTime")) {
            assertThat(defaults.get(environmentName("gateway.directory.", setting)))
                    .as(setting)
                    .isEqualTo(applicationDefaults.get(setting));
        }
        Map<String, Object> production =
                new Yaml().load(Files.readString(Path.of("src/main/resources/application-production.yml")));
        assertThat(defaults.get("DINGTALK_STREAM_ENABLED"))
                .isEqualTo(String.valueOf(value(production, "dingtalk", "stream", "enabled")));

        assertThat(changed.get("GATEWAY_DIRECTORY_ENABLED")).isEqualTo("false");
        assertThat(changed.get("GATEWAY_DIRECTORY_STORE_CONTACT_FIELDS")).isEqualTo("true");
        assertThat(changed.get("GATEWAY_DIRECTORY_STALE_AFTER")).isEqualTo("12h");
        assertThat(changed.get("GATEWAY_DIRECTORY_READ_CACHE_TIME")).isEqualTo("0s");
        assertThat(changed.get("GATEWAY_DIRECTORY_FULL_SYNC_INTERVAL")).isEqualTo("6h");
        assertThat(changed.get("DINGTALK_STREAM_ENABLED")).isEqualTo("false");
    }

    @Test
    void productionExampleAddsIngressServiceMonitorAndItsOwnSecret() throws IOException {
        List<Map<String, Object>> manifests = render(PRODUCTION_VALUES);

        assertThat(value(ofKind(manifests, "ServiceMonitor"), "spec", "endpoints")
                        .toString())
                .contains("port=management", "path=/actuator/prometheus");
        assertThat(ofKind(manifests, "Ingress")).isNotNull();
        assertThat(value(ofKind(manifests, "PodDisruptionBudget"), "spec", "minAvailable"))
                .isEqualTo(2);
        assertThat(value(env(container(manifests), "DINGTALK_APP_SECRET"), "valueFrom", "secretKeyRef", "name"))
                .isEqualTo("dingtalk-gateway-credentials");
        assertThat(((Map<?, ?>) ofKind(manifests, "ConfigMap").get("data")).get("SPRING_DATASOURCE_URL"))
                .asString()
                .startsWith("jdbc:postgresql:");
    }

    private static List<Map<String, Object>> render(Path valuesFile) {
        return renderWith(template -> valuesFile == null ? template : template.withValuesFile(valuesFile));
    }

    private static List<Map<String, Object>> renderWith(UnaryOperator<TemplateCommand> values) {
        // The oldest Kubernetes Chart.yaml admits; helm-java's offline default (1.20) is refused.
        TemplateCommand template =
                values.apply(new Helm(CHART).template().withName("gw").withKubeVersion(OperatorsChartTests.KUBERNETES));
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (Object document : new Yaml().loadAll(template.call())) {
            if (document instanceof Map<?, ?> manifest) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) manifest;
                manifests.add(typed);
            }
        }
        return manifests;
    }

    private static Map<String, Object> applicationYaml() throws IOException {
        return new Yaml().load(Files.readString(Path.of("src/main/resources/application.yml")));
    }

    /** The {@code @DefaultValue} of each of {@link DirectoryProperties}' settings, by its name. */
    private static Map<String, String> directoryDefaults() {
        RecordComponent[] settings = DirectoryProperties.class.getRecordComponents();
        Parameter[] parameters = DirectoryProperties.class.getDeclaredConstructors()[0].getParameters();
        Map<String, String> defaults = new HashMap<>();
        for (int i = 0; i < settings.length; i++) {
            defaults.put(
                    settings[i].getName(),
                    parameters[i].getAnnotation(DefaultValue.class).value()[0]);
        }
        return defaults;
    }

    /** The environment variable Spring binds to a setting, in the chart's form: fullSyncInterval → FULL_SYNC_INTERVAL. */
    private static String environmentName(String prefix, String setting) {
        return (prefix.replace('.', '_') + setting.replaceAll("([A-Z])", "_$1")).toUpperCase(Locale.ROOT);
    }

    private static Map<String, Object> ofKind(List<Map<String, Object>> manifests, String kind) {
        return manifests.stream()
                .filter(manifest -> kind.equals(manifest.get("kind")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
    }

    private static Map<String, Object> container(List<Map<String, Object>> manifests) {
        List<Map<String, Object>> containers =
                path(ofKind(manifests, "Deployment"), "spec", "template", "spec", "containers");
        return containers.getFirst();
    }

    private static Map<String, Object> env(Map<String, Object> container, String name) {
        List<Map<String, Object>> env = path(container, "env");
        return env.stream()
                .filter(variable -> name.equals(variable.get("name")))
                .findFirst()
                .orElseThrow();
    }

    private static Object containerPort(Map<String, Object> container, String name) {
        List<Map<String, Object>> ports = path(container, "ports");
        return ports.stream()
                .filter(port -> name.equals(port.get("name")))
                .findFirst()
                .orElseThrow()
                .get("containerPort");
    }

    private static Object value(Map<String, Object> root, String... keys) {
        return path(root, keys);
    }

    @SuppressWarnings("unchecked")
    private static <T> T path(Map<String, Object> root, String... keys) {
        Object node = root;
        for (String key : keys) {
            node = ((Map<String, Object>) node).get(key);
        }
        return (T) node;
    }
}
