package io.presence.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every overlay renders with kubectl kustomize into objects that are valid and that fit together. */
class KubernetesManifestsTest {

    static final List<String> OVERLAYS = Repository.OVERLAYS;

    @Test
    void strictReadingRejectsFieldsTheApiDoesNotHave() {
        List<JsonNode> docs = Manifests.documents("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replicas: 1
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: x
                          image: x
                          livenessProbe: {httpGet: {path: /q/health/live, port: 8080}, periodSecond: 5}
                """);
        AssertionErrorHolder.expectFailure(() -> Manifests.strict(docs.get(0)), "periodSecond");
        List<JsonNode> wrongType = Manifests.documents("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec: {replicas: [1]}
                """);
        AssertionErrorHolder.expectFailure(() -> Manifests.strict(wrongType.get(0)), "replicas");
        List<JsonNode> unknownKind = Manifests.documents("""
                apiVersion: v1
                kind: Pod
                metadata: {name: x}
                """);
        AssertionErrorHolder.expectFailure(() -> Manifests.strict(unknownKind.get(0)), "Manifests.TYPES");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void rendersIntoValidObjectsOfOneNamespace(String overlay) {
        Manifests m = Manifests.of(overlay);
        assertFalse(m.objects.isEmpty(), overlay + " renders nothing");
        List<Namespace> namespaces = m.all(Namespace.class);
        assertEquals(1, namespaces.size(), overlay + " creates its namespace");
        String namespace = namespaces.get(0).getMetadata().getName();
        for (HasMetadata o : m.objects) {
            String name = o.getMetadata().getName();
            assertTrue(name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") && name.length() <= 63, o.getKind() + " name " + name);
            if (!(o instanceof Namespace)) {
                assertEquals(namespace, o.getMetadata().getNamespace(), o.getKind() + " " + name + " namespace");
            }
        }
        for (String service : List.of("gateway", "user-service", "presence-service", "message-service")) {
            m.named(Deployment.class, service);
            m.named(Service.class, service);
            m.named(PodDisruptionBudget.class, service);
        }
        m.named(HorizontalPodAutoscaler.class, "gateway");
        m.named(HorizontalPodAutoscaler.class, "message-service");
        m.named(Ingress.class, "gateway");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void workloadsAreHardenedAndSized(String overlay) {
        for (Manifests.Workload w : Manifests.of(overlay).workloads()) {
            String where = overlay + " " + w.kind() + " " + w.name();
            PodSpec pod = w.template().getSpec();
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), where + ": no API token in pods that never call the API");
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), where + ": runAsNonRoot");
            assertNotNull(pod.getSecurityContext().getRunAsUser(), where + ": numeric runAsUser");
            for (Container c : pod.getContainers()) {
                assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem(), where + ": readOnlyRootFilesystem");
                assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation(), where + ": allowPrivilegeEscalation");
                assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), where + ": capabilities dropped");
                for (String resource : List.of("cpu", "memory")) {
                    assertNotNull(c.getResources().getRequests().get(resource), where + ": " + resource + " request");
                    assertNotNull(c.getResources().getLimits().get(resource), where + ": " + resource + " limit");
                }
                assertNotNull(c.getLivenessProbe(), where + ": liveness probe");
                assertNotNull(c.getReadinessProbe(), where + ": readiness probe");
                Set<String> volumes = new java.util.HashSet<>();
                Stream.ofNullable(pod.getVolumes()).flatMap(List::stream).map(Volume::getName).forEach(volumes::add);
                if (w.kind().equals("StatefulSet")) {
                    Manifests.of(overlay).named(StatefulSet.class, w.name()).getSpec().getVolumeClaimTemplates()
                            .forEach(t -> volumes.add(t.getMetadata().getName()));
                }
                for (VolumeMount mount : Stream.ofNullable(c.getVolumeMounts()).flatMap(List::stream).toList()) {
                    assertTrue(volumes.contains(mount.getName()), where + ": volume " + mount.getName() + " is declared");
                }
                if (Repository.moduleOfImage(c.getImage()) != null) {
                    assertNotNull(c.getStartupProbe(), where + ": startup probe");
                    assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getEmptyDir() != null && c.getVolumeMounts().stream()
                            .anyMatch(vm -> vm.getName().equals(v.getName()) && vm.getMountPath().equals("/tmp"))),
                            where + ": an emptyDir on /tmp, as Quarkus writes there and the root filesystem is read-only");
                    assertNotNull(c.getLifecycle().getPreStop().getExec(), where + ": preStop waits for endpoints to drop the pod");
                    long preStop = Long.parseLong(c.getLifecycle().getPreStop().getExec().getCommand().get(1));
                    assertTrue(pod.getTerminationGracePeriodSeconds() >= preStop + 15,
                            where + ": terminationGracePeriodSeconds leaves time after preStop for the graceful shutdown");
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void gatewayDrainsWithCloseCode4200BeforeItIsKilled(String overlay) {
        Manifests m = Manifests.of(overlay);
        PodSpec pod = m.named(Deployment.class, "gateway").getSpec().getTemplate().getSpec();
        Container gateway = pod.getContainers().get(0);
        long preStop = Long.parseLong(gateway.getLifecycle().getPreStop().getExec().getCommand().get(1));
        assertTrue(preStop >= 5, "the gateway waits for the Ingress and endpoints to forget it before closing sockets");
        String delay = m.named(ConfigMap.class, "gateway-config").getData().get("QUARKUS_SHUTDOWN_DELAY");
        assertNotNull(delay, "the gateway's shutdown delay is set explicitly");
        long delaySeconds = Long.parseLong(delay.replace("s", ""));
        // The 4200 close itself is the gateway's (quarkus.shutdown.delay-enabled); the pod must live through it.
        assertTrue(ServiceModule.of("gateway-service").properties.getProperty("quarkus.shutdown.delay-enabled", "false").equals("true"),
                "gateway-service closes sockets with 4200 in the shutdown delay phase");
        assertTrue(pod.getTerminationGracePeriodSeconds() >= preStop + delaySeconds + 10,
                "terminationGracePeriodSeconds covers preStop, closing sockets and the shutdown delay");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void referencesResolve(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> missingSecrets = new ArrayList<>();
        for (Manifests.Workload w : m.workloads()) {
            for (Container c : w.template().getSpec().getContainers()) {
                for (EnvFromSource from : Stream.ofNullable(c.getEnvFrom()).flatMap(List::stream).toList()) {
                    assertNotNull(from.getConfigMapRef(), w.name() + ": envFrom only from ConfigMaps (secrets by key, so each env var is checked)");
                    m.named(ConfigMap.class, from.getConfigMapRef().getName());
                }
                for (EnvVar env : Stream.ofNullable(c.getEnv()).flatMap(List::stream).toList()) {
                    SecretKeySelector ref = env.getValueFrom() == null ? null : env.getValueFrom().getSecretKeyRef();
                    if (ref == null) {
                        continue;
                    }
                    Secret secret = m.all(Secret.class).stream().filter(s -> s.getMetadata().getName().equals(ref.getName())).findFirst().orElse(null);
                    if (secret != null) {
                        Map<String, String> data = new java.util.HashMap<>();
                        if (secret.getData() != null) {
                            data.putAll(secret.getData());
                        }
                        if (secret.getStringData() != null) {
                            data.putAll(secret.getStringData());
                        }
                        assertTrue(data.containsKey(ref.getKey()), w.name() + ": secret " + ref.getName() + " has key " + ref.getKey());
                    } else if (!Boolean.TRUE.equals(ref.getOptional())) {
                        missingSecrets.add(ref.getName() + "/" + ref.getKey());
                    }
                }
            }
        }
        if (overlay.endsWith("dev")) {
            assertEquals(List.of(), missingSecrets, "dev generates every secret it needs");
        } else {
            // Production secrets are created by the operator: each must be documented with its keys.
            String instructions = Repository.read(Repository.file(overlay + "/kustomization.yaml"));
            for (String missing : missingSecrets) {
                String[] nameKey = missing.split("/");
                assertTrue(instructions.matches("(?s).*create secret generic " + nameKey[0] + " [^\n]*--from-literal=" + nameKey[1] + "=.*"),
                        overlay + "/kustomization.yaml tells how to create " + missing);
            }
        }
        for (Service s : m.all(Service.class)) {
            if ("ExternalName".equals(s.getSpec().getType())) {
                assertNotNull(s.getSpec().getExternalName());
                continue;
            }
            List<Manifests.Workload> selected = selected(m, s.getSpec().getSelector());
            assertFalse(selected.isEmpty(), "Service " + s.getMetadata().getName() + " selects pods");
            for (ServicePort port : s.getSpec().getPorts()) {
                for (Manifests.Workload w : selected) {
                    assertTrue(containerPort(w, port.getTargetPort()) != null,
                            "Service " + s.getMetadata().getName() + " targetPort " + port.getTargetPort() + " is a port of " + w.name());
                }
            }
        }
        for (PodDisruptionBudget pdb : m.all(PodDisruptionBudget.class)) {
            assertFalse(selected(m, pdb.getSpec().getSelector()).isEmpty(), "PDB " + pdb.getMetadata().getName() + " selects pods");
        }
        for (Deployment d : m.all(Deployment.class)) {
            assertTrue(matches(d.getSpec().getSelector(), d.getSpec().getTemplate().getMetadata().getLabels()), d.getMetadata().getName() + " selector matches its pods");
        }
        for (HorizontalPodAutoscaler hpa : m.all(HorizontalPodAutoscaler.class)) {
            Deployment target = m.named(Deployment.class, hpa.getSpec().getScaleTargetRef().getName());
            assertTrue(hpa.getSpec().getMinReplicas() <= hpa.getSpec().getMaxReplicas(), "HPA " + hpa.getMetadata().getName() + " min <= max");
            target.getSpec().getTemplate().getSpec().getContainers()
                    .forEach(c -> assertNotNull(c.getResources().getRequests().get("cpu"), "HPA on CPU needs a CPU request"));
        }
        Ingress ingress = m.named(Ingress.class, "gateway");
        Map<String, String> annotations = ingress.getMetadata().getAnnotations();
        for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
            assertTrue(Integer.parseInt(annotations.get("nginx.ingress.kubernetes.io/" + timeout)) >= 3600, "WebSocket-friendly " + timeout);
        }
        ingress.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths().forEach(path -> {
            Service backend = m.named(Service.class, path.getBackend().getService().getName());
            assertEquals("gateway", backend.getMetadata().getName(), "the Ingress only reaches the gateway");
            String portName = path.getBackend().getService().getPort().getName();
            assertTrue(backend.getSpec().getPorts().stream().anyMatch(p -> Objects.equals(p.getName(), portName)), "Ingress port " + portName);
        }));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void networkPoliciesLetInOnlyWhatTheSuiteNeeds(String overlay) {
        Manifests m = Manifests.of(overlay);
        NetworkPolicy deny = m.named(NetworkPolicy.class, "default-deny-ingress");
        assertTrue(deny.getSpec().getPodSelector().getMatchLabels() == null || deny.getSpec().getPodSelector().getMatchLabels().isEmpty());
        assertTrue(deny.getSpec().getIngress() == null || deny.getSpec().getIngress().isEmpty(), "default deny allows nothing");
        for (NetworkPolicy policy : m.all(NetworkPolicy.class)) {
            if (policy == deny) {
                continue;
            }
            List<Manifests.Workload> targets = selected(m, policy.getSpec().getPodSelector());
            assertFalse(targets.isEmpty(), policy.getMetadata().getName() + " selects pods");
            for (var rule : policy.getSpec().getIngress()) {
                boolean fromAnywhere = rule.getFrom() == null || rule.getFrom().isEmpty();
                if (fromAnywhere) {
                    assertTrue(targets.stream().allMatch(t -> t.name().equals("gateway")), policy.getMetadata().getName() + ": only the gateway is open to all");
                }
                for (NetworkPolicyPeer peer : Stream.ofNullable(rule.getFrom()).flatMap(List::stream).toList()) {
                    assertTrue(peer.getNamespaceSelector() == null && peer.getIpBlock() == null, "peers are pods of this namespace");
                    assertFalse(selected(m, peer.getPodSelector()).isEmpty(), policy.getMetadata().getName() + " peers exist");
                }
                for (NetworkPolicyPort port : rule.getPorts()) {
                    for (Manifests.Workload t : targets) {
                        assertNotNull(containerPort(t, port.getPort()), policy.getMetadata().getName() + " port " + port.getPort() + " on " + t.name());
                    }
                }
            }
        }
        if (overlay.endsWith("dev")) {
            assertEquals(Set.of("user-service", "message-service"), peersOf(m, "postgres-from-owners"));
            assertEquals(Set.of("gateway", "user-service", "presence-service", "message-service"), peersOf(m, "redis-from-owners"));
        }
    }

    @Test
    void devRunsItsStoresAsSingleStatefulSetsWithVolumes() {
        Manifests m = Manifests.of("k8s/overlays/dev");
        for (String store : List.of("postgres", "redis")) {
            StatefulSet set = m.named(StatefulSet.class, store);
            assertEquals(1, set.getSpec().getReplicas());
            assertFalse(set.getSpec().getVolumeClaimTemplates().isEmpty(), store + " keeps its data on a PVC");
        }
        m.all(Deployment.class).forEach(d -> assertEquals(1, d.getSpec().getReplicas(), d.getMetadata().getName() + " single replica"));
        m.all(HorizontalPodAutoscaler.class).forEach(h -> assertEquals(1, h.getSpec().getMinReplicas()));
        assertTrue(m.named(StatefulSet.class, "redis").getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().contains("--appendonly"));
    }

    @Test
    void prodUsesExternalStoresAndSpreadsAtLeastThreeGateways() {
        Manifests m = Manifests.of("k8s/overlays/prod");
        assertTrue(m.all(StatefulSet.class).isEmpty(), "no in-cluster stores in production");
        for (String store : List.of("postgres", "redis")) {
            assertEquals("ExternalName", m.named(Service.class, store).getSpec().getType(), store + " is an external endpoint");
        }
        Deployment gateway = m.named(Deployment.class, "gateway");
        assertTrue(gateway.getSpec().getReplicas() >= 3, "at least three gateways");
        assertTrue(m.named(HorizontalPodAutoscaler.class, "gateway").getSpec().getMinReplicas() >= 3, "the HPA keeps at least three");
        var antiAffinity = gateway.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity();
        assertTrue(antiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution().stream()
                .anyMatch(t -> t.getPodAffinityTerm().getTopologyKey().equals("kubernetes.io/hostname")
                        && matches(t.getPodAffinityTerm().getLabelSelector(), gateway.getSpec().getTemplate().getMetadata().getLabels())),
                "gateways prefer different nodes");
        assertTrue(gateway.getSpec().getTemplate().getSpec().getTopologySpreadConstraints().stream()
                .anyMatch(c -> c.getTopologyKey().equals("kubernetes.io/hostname") && c.getWhenUnsatisfiable().equals("DoNotSchedule")),
                "gateways are spread evenly over nodes");
        assertFalse(m.named(Ingress.class, "gateway").getSpec().getTls().isEmpty(), "TLS at the Ingress");
        assertEquals("true", m.named(ConfigMap.class, "user-service-config").getData().get("USERS_SESSION_COOKIE_SECURE"));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theIngressRoutesThePublicPathsAndNeverTheConsole(String overlay) {
        Ingress ingress = Manifests.of(overlay).named(Ingress.class, "gateway");
        for (String path : List.of("/", "/index.html", "/app.js", "/app.js.map", "/app.css", "/favicon.svg", "/app/app-key",
                "/c/Zm9vYmFyYmF6cXV4cXV1eA/app/app-key",
                "/apps/app-id/events", "/apps/app-id/channels/presence-x/users", "/api/users/me", "/api", "/pusher/auth",
                "/pusher/user-auth")) {
            assertTrue(routed(ingress, path), overlay + ": the public path " + path + " is routed");
        }
        for (String path : List.of("/console", "/console/", "/console/index.html", "/console/api/session", "/console/api/overview",
                "/q/metrics", "/q/swagger-ui", "/q/openapi", "/internal/apps", "/consoles", "/application")) {
            assertFalse(routed(ingress, path), overlay + ": " + path + " is not on the public Ingress");
        }
    }

    /** Whether any rule of the Ingress routes a request path, as Kubernetes matches Exact and Prefix paths. */
    static boolean routed(Ingress ingress, String requestPath) {
        return ingress.getSpec().getRules().stream().flatMap(rule -> rule.getHttp().getPaths().stream()).anyMatch(path -> {
            String p = path.getPath();
            return switch (path.getPathType()) {
                case "Exact" -> requestPath.equals(p);
                case "Prefix" -> {
                    // element-wise: /app matches /app and /app/x, not /apps; a trailing slash is ignored
                    String prefix = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
                    yield prefix.isEmpty() || requestPath.equals(prefix) || requestPath.startsWith(prefix + "/");
                }
                default -> fail("pathType " + path.getPathType() + " of " + p + ": use Exact or Prefix, whose matching is portable");
            };
        });
    }

    @Test
    void theMonitoringKustomizationRendersAlertsOnTheWebhookQueue() {
        List<JsonNode> docs = Manifests.documents(Tools.kustomize("k8s/monitoring"));
        JsonNode rules = docs.stream().filter(d -> d.path("kind").asText().equals("PrometheusRule")).findFirst()
                .orElseGet(() -> fail("k8s/monitoring renders no PrometheusRule"));
        assertEquals("monitoring.coreos.com/v1", rules.path("apiVersion").asText());
        Set<String> alerts = new java.util.TreeSet<>();
        Set<String> fields = Set.of("alert", "expr", "for", "keep_firing_for", "labels", "annotations");
        for (JsonNode group : rules.path("spec").path("groups")) {
            assertFalse(group.path("name").asText().isBlank(), "every group is named");
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText();
                rule.fieldNames().forEachRemaining(f -> assertTrue(fields.contains(f), name + ": unknown field " + f));
                assertFalse(rule.path("expr").asText().isBlank(), name + " has an expression");
                assertTrue(Set.of("warning", "critical").contains(rule.path("labels").path("severity").asText()), name + " severity");
                assertFalse(rule.path("annotations").path("summary").asText().isBlank(), name + " has a summary");
                if (rule.has("for")) {
                    assertTrue(rule.path("for").asText().matches("\\d+[smh]"), name + ": for is a duration");
                }
                alerts.add(name);
            }
        }
        assertEquals(Set.of("PresenceWebhooksBehind", "PresenceWebhooksOverflowing", "PresenceWebhooksFailing"), alerts);
    }

    private static Set<String> peersOf(Manifests m, String policy) {
        Set<String> names = new java.util.HashSet<>();
        for (var rule : m.named(NetworkPolicy.class, policy).getSpec().getIngress()) {
            for (NetworkPolicyPeer peer : rule.getFrom()) {
                selected(m, peer.getPodSelector()).forEach(w -> names.add(w.name()));
            }
        }
        return names;
    }

    static List<Manifests.Workload> selected(Manifests m, Map<String, String> selector) {
        return m.workloads().stream().filter(w -> w.labels().entrySet().containsAll(selector.entrySet())).toList();
    }

    static List<Manifests.Workload> selected(Manifests m, LabelSelector selector) {
        return m.workloads().stream().filter(w -> matches(selector, w.labels())).toList();
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchLabels() != null && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            return false;
        }
        for (LabelSelectorRequirement r : Stream.ofNullable(selector.getMatchExpressions()).flatMap(List::stream).toList()) {
            boolean in = labels.containsKey(r.getKey()) && r.getValues().contains(labels.get(r.getKey()));
            boolean ok = switch (r.getOperator()) {
                case "In" -> in;
                case "NotIn" -> !in;
                case "Exists" -> labels.containsKey(r.getKey());
                case "DoesNotExist" -> !labels.containsKey(r.getKey());
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The container port a Service or NetworkPolicy names (by name or number), or null. */
    static ContainerPort containerPort(Manifests.Workload w, IntOrString port) {
        for (Container c : w.template().getSpec().getContainers()) {
            for (ContainerPort p : Stream.ofNullable(c.getPorts()).flatMap(List::stream).toList()) {
                boolean byName = port.getStrVal() != null && port.getStrVal().equals(p.getName());
                boolean byNumber = port.getIntVal() != null && port.getIntVal().equals(p.getContainerPort());
                if (byName || byNumber) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Runs code that must fail an assertion whose message names a given word. */
    static final class AssertionErrorHolder {

        private AssertionErrorHolder() {
        }

        static void expectFailure(Runnable code, String word) {
            AssertionError error = assertThrows(AssertionError.class, code::run);
            assertTrue(error.getMessage().contains(word), "failure names " + word + ": " + error.getMessage());
        }
    }
}
